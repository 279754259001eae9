import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';

import { App, preloadScreens } from '@/app/App';
import './index.css';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('Skillmark: #root element is missing from index.html');
}

// A reload or an opened link: fetch the screen's code while the session is being checked.
preloadScreens(window.location.pathname);

const app = (
  <StrictMode>
    <App />
  </StrictMode>
);

if (container.firstElementChild !== null) {
  // The sign-in page arrives already rendered (src/app/prerender.tsx), and its form works before
  // this script does: React takes over the markup that is there, keeping what was typed meanwhile.
  hydrateRoot(container, app);
} else {
  // The first render runs in the same task as this module, not in one the scheduler queues after
  // it: on a slow tablet that task would wait behind whatever else the page is doing, and the
  // first screen would paint later (measured: docs/performance.md, "SPA").
  const root = createRoot(container);
  flushSync(() => {
    root.render(app);
  });
}
