import { mechanismRoute } from '@/lib/mechanism-route';

const route = mechanismRoute('websocket');
export const metadata = route.metadata;
export default route.Page;
