/**
 * Live pages poll: `reload` every `ms` while the tab is visible, at once when it becomes
 * visible again, never while hidden (a background tab costs the server nothing).
 */
import { useEffect } from 'preact/hooks';

export function usePolling(reload: () => void, ms: number, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setInterval> | undefined;
    const start = () => {
      if (timer === undefined && !document.hidden) timer = setInterval(reload, ms);
    };
    const stop = () => {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    };
    const onVisibility = () => {
      if (document.hidden) stop();
      else {
        reload();
        start();
      }
    };
    start();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stop();
      document.removeEventListener('visibilitychange', onVisibility);
    };
    // useQuery's reload is a new closure each render but only bumps a state counter: the first one stays valid.
  }, [ms, enabled]);
}
