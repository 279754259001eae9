/**
 * The service worker (`public/sw.js`, its list of files written by the build) keeps the app's
 * files on the tablet so the marking app opens without a network. Registered when the marking
 * app is first opened; only in a production build (the dev server's modules change constantly).
 */
export function registerServiceWorker(): void {
  // Ask the browser not to evict the queue and the copy under storage pressure (best effort).
  void navigator.storage?.persist?.().catch(() => false);
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without a service worker the app still works online.
  });
}
