import '../../components/pages/pages.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { Options } from '../../components/options/Options';

const grant = (origin: string, permissions: 'scripting'[] = []) =>
  browser.permissions.request({ origins: [`${origin}/*`], permissions });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Options grant={grant} />
  </StrictMode>,
);
