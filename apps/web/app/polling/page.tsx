import { mechanismRoute } from '@/lib/mechanism-route';

const route = mechanismRoute('polling');
export const metadata = route.metadata;
export default route.Page;
