import { mechanismRoute } from '@/lib/mechanism-route';

const route = mechanismRoute('sse');
export const metadata = route.metadata;
export default route.Page;
