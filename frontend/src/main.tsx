import { StrictMode } from 'react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';

import { App, preloadScreens } from '@/app/App';
import './index.css';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('Skillmark: #root element is missing from index.html');
}

// A reload or an opened link: fetch the screen's code while the session is being checked.
preloadScreens(window.location.pathname);

// The first render runs in the same task as this module, not in one the scheduler queues after
// it: on a slow tablet that task would wait behind whatever else the page is doing, and the sign-in
// form would paint later (measured: docs/performance.md, "SPA").
const root = createRoot(container);
flushSync(() => {
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
});
