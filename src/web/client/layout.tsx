/**
 * The frame around every page: a skip link, the header (site name, navigation, who is signed
 * in), and the page the location picks from the registry. After a navigation, focus moves to
 * the new page's heading so keyboard and screen-reader users land on the content.
 */
import { useEffect, useRef } from 'preact/hooks';
import { useQuery } from './api';
import { setToken, useToken } from './auth';
import { SignInButton } from './components/sign-in';
import { ViewerContext, type Viewer } from './components/viewer';
import { NAV, ROUTES } from './registry';
import { findPage, interceptLinks, useLocation } from './router';

function Header({ viewer, pathname }: { viewer: Viewer | null; pathname: string }) {
  return (
    <header class="site-header">
      <a class="site-name" href="/">
        astroarchive
      </a>
      <nav aria-label="Pages">
        <ul>
          {NAV.map((n) => (
            <li key={n.href}>
              <a href={n.href} aria-current={pathname === n.href ? 'page' : undefined}>
                {n.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <div class="viewer">
        {viewer ? (
          <>
            <span data-testid="viewer">
              Signed in as <strong>{viewer.tokenName}</strong> ({viewer.role})
            </span>
            <button type="button" class="button-quiet" onClick={() => setToken(null)}>
              Sign out
            </button>
          </>
        ) : (
          <SignInButton />
        )}
      </div>
    </header>
  );
}

export function App() {
  const { pathname, search } = useLocation();
  const token = useToken();
  const viewerQuery = useQuery<{ viewer: Viewer | null }>('{ viewer { tokenName role } }', token ? {} : null);
  const viewer = token ? (viewerQuery.data?.viewer ?? null) : null;
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    document.addEventListener('click', interceptLinks);
    return () => document.removeEventListener('click', interceptLinks);
  }, []);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [pathname]);

  const found = findPage(ROUTES, pathname);
  const query = new URLSearchParams(search);
  return (
    <ViewerContext.Provider value={viewer}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header viewer={viewer} pathname={pathname} />
      <main id="main" ref={main} tabIndex={-1}>
        {found ? (
          <found.route.page key={pathname} params={found.params} query={query} />
        ) : (
          <>
            <h1 tabIndex={-1}>Not found</h1>
            <p>
              There is no page at <code>{pathname}</code>. <a href="/">Search the archive</a>.
            </p>
          </>
        )}
      </main>
    </ViewerContext.Provider>
  );
}
