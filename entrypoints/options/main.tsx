import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { browser } from 'wxt/browser';
import { Options } from '../../components/Options';
import type { PageRequest, Reply } from '../../lib/messages';

const send = async (request: PageRequest) => (await browser.runtime.sendMessage(request)) as Reply<unknown>;
const grant = (origin: string, permissions: 'scripting'[] = []) =>
  browser.permissions.request({ origins: [`${origin}/*`], permissions });

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <Options send={send} grant={grant} />
  </StrictMode>,
);
