/**
 * The web pages' Content-Security-Policy: scripts, styles and fetches from this origin only,
 * no inline script or style, no plugins, no framing. Images may also be data:/blob: URLs
 * (canvas exports, the favicon placeholder). The browser enforces "no CDN" with it.
 */
export const WEB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
