import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App, preloadScreens } from '@/app/App';
import './index.css';

const container = document.getElementById('root');
if (container === null) {
  throw new Error('Skillmark: #root element is missing from index.html');
}

// A reload or an opened link: fetch the screen's code while the session is being checked.
preloadScreens(window.location.pathname);

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
