// The patrol phone's service worker. It only shows dispatch notifications (Android's Chrome shows
// none from a page without one) and brings the page back when the officer taps one. No fetch
// handler and no cache: the page and its data always come from the gateway.
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((pages) => {
      const page = pages.find((c) => 'focus' in c);
      return page ? page.focus() : self.clients.openWindow('./#/patrol');
    }),
  );
});
