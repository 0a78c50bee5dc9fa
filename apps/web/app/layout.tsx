import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { ApiLink } from '@/components/ApiLink';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'pushpull', template: '%s · pushpull' },
  description: 'Every way a server pushes data to a browser, side by side.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <ApiLink href="/" className="site-name">
            pushpull
          </ApiLink>
          <span className="site-tagline">every way a server gets fresh data to a browser</span>
        </header>
        <main className="site-main">{children}</main>
      </body>
    </html>
  );
}
