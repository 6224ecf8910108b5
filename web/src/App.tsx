import { useEffect, useRef, useState } from 'react';
import { setUnauthorizedHandler, token } from './api';
import { ClusterPage, ClustersPage } from './pages/Clusters';
import { FindingsPage } from './pages/Findings';
import { ImagePage, ImagesPage } from './pages/Images';
import { OverviewPage } from './pages/Overview';
import { ScansPage } from './pages/Scans';
import { SignInPage } from './pages/SignIn';
import { Link, match, navigate, useLocation } from './router';
import { useTheme } from './theme';

const NAV = [
  { to: '/', label: 'Overview', active: (p: string) => p === '/' },
  { to: '/images', label: 'Images', active: (p: string) => p.startsWith('/images') },
  { to: '/clusters', label: 'Clusters', active: (p: string) => p.startsWith('/clusters') },
  { to: '/findings', label: 'Findings', active: (p: string) => p.startsWith('/findings') },
  { to: '/scans', label: 'Scans', active: (p: string) => p.startsWith('/scans') },
];

function Page({ path }: { path: string }) {
  if (path === '/' || path === '') return <OverviewPage />;
  if (match('/images', path)) return <ImagesPage />;
  const image = match('/images/:name', path);
  if (image) return <ImagePage name={image.name ?? ''} />;
  if (match('/clusters', path)) return <ClustersPage />;
  const cluster = match('/clusters/:name', path);
  if (cluster) return <ClusterPage name={cluster.name ?? ''} />;
  if (match('/findings', path)) return <FindingsPage />;
  if (match('/scans', path)) return <ScansPage />;
  return (
    <section>
      <h1 tabIndex={-1}>Not found</h1>
      <p>
        No page at <code>{path}</code>. <Link to="/">Go to the overview</Link>.
      </p>
    </section>
  );
}

export function App() {
  const { path } = useLocation();
  const [signedIn, setSignedIn] = useState(() => token.get() !== null);
  const [theme, toggleTheme] = useTheme();
  const main = useRef<HTMLElement>(null);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setSignedIn(false);
      if (window.location.pathname !== '/signin')
        navigate(
          `/signin?next=${encodeURIComponent(window.location.pathname + window.location.search)}`,
          true,
        );
    });
  }, []);

  // a new page: move focus to its heading so keyboard and screen-reader users start there
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every page change
  useEffect(() => {
    const h = main.current?.querySelector<HTMLElement>('h1');
    h?.focus();
  }, [path]);

  if (!signedIn || path === '/signin')
    return (
      <div className="signin-shell">
        <SignInPage
          onSignedIn={() => {
            setSignedIn(true);
            const next = new URLSearchParams(window.location.search).get('next');
            navigate(next?.startsWith('/') && !next.startsWith('//') ? next : '/', true);
          }}
        />
      </div>
    );

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <Link to="/" className="brand">
          Strata
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.active(path) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="actions">
          <button
            type="button"
            onClick={toggleTheme}
            aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} mode`}
          >
            {theme === 'dark' ? '☀ Light' : '☾ Dark'}
          </button>
          <button
            type="button"
            onClick={() => {
              token.clear();
              setSignedIn(false);
              navigate('/signin', true);
            }}
          >
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main}>
        <Page path={path} />
      </main>
    </div>
  );
}
