// WebSocket close codes the gateway uses on every socket it serves (feed, streams, intercom).
// 44xx mirror HTTP: the dashboard stops reconnecting on them and asks the user to sign in again.

/** The session behind the socket ended: logout, expiry, user disabled, role changed, password reset. */
export const CLOSE_SESSION_ENDED = 4401;
