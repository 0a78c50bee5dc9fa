import { mechanismRoute } from '@/lib/mechanism-route';

const route = mechanismRoute('streaming');
export const metadata = route.metadata;
export default route.Page;
