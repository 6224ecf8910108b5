import { useEffect, useMemo, useState } from 'react';
import { type Counts, get, SEVERITIES, type ServerEvent, subscribeEvents } from '../api';
import { Chart, type ChartOption, themeColors } from '../components/Chart';
import { CountsLine, SeverityBadge } from '../components/Severity';
import { ErrorNote, Loading } from '../components/Status';
import { useLoad, useTitle } from '../hooks';
import { Link } from '../router';
import { useCurrentTheme } from '../theme';

export interface TargetRow {
  name: string;
  digest?: string;
  type?: string;
  scan: string;
  scannedAt: string;
  scans: number;
  packages?: number;
  summary: Counts;
  kinds: Record<string, Counts>;
  risk: number;
}

interface Summary {
  targets: number;
  scans: number;
  totals: Counts;
  doors: { id: string; label: string; kinds: string[]; counts: Counts }[];
  trend: ({ date: string } & Counts)[];
  topImages: TargetRow[];
  queue: Record<string, number>;
}

export const imageHref = (name: string) => `/images/${encodeURIComponent(name)}`;

/** Registry-watch alerts (the alerts table, streamed as events): named as well as graded. */
const WATCH_LABELS: Record<string, string> = {
  'tag.mutated': 'tag mutated',
  'tag.moved': 'tag moved',
  'watch.alert': 'watch alert',
};

function Alerts() {
  const [events, setEvents] = useState<ServerEvent[]>([]);
  const [live, setLive] = useState(false);
  useEffect(
    () =>
      subscribeEvents(
        (e) => setEvents((old) => (old.some((o) => o.id === e.id) ? old : [e, ...old].slice(0, 50))),
        setLive,
      ),
    [],
  );
  return (
    <section className="card" aria-labelledby="alerts-h">
      <h2 id="alerts-h">
        Recent alerts{' '}
        <span className={live ? 'live on' : 'live'} role="status">
          {live ? 'live' : 'connecting…'}
        </span>
      </h2>
      {events.length === 0 ? (
        <p className="muted">
          No alerts since the server started. New scans, new CRITICAL/HIGH findings, audit detections and tag
          mutations appear here as they happen.
        </p>
      ) : (
        <ol className="alerts" aria-live="polite" data-testid="alerts">
          {events.map((e) => (
            <li key={e.id} className={`alert alert-${(e.severity ?? 'info').toLowerCase()}`}>
              <time dateTime={e.time}>{new Date(e.time).toLocaleTimeString()}</time>{' '}
              {e.severity && e.severity !== 'INFO' ? <SeverityBadge severity={e.severity} /> : null}{' '}
              {!e.severity || e.severity === 'INFO' || WATCH_LABELS[e.type] ? (
                <span className="tag">{WATCH_LABELS[e.type] ?? e.type}</span>
              ) : null}{' '}
              {typeof e.data.target === 'string' && e.data.target ? (
                <Link to={imageHref(e.data.target)}>{e.message}</Link>
              ) : (
                e.message
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

export function OverviewPage() {
  useTitle('Overview');
  const theme = useCurrentTheme();
  const { data, error } = useLoad(() => get<Summary>('/api/v1/summary', { days: 30 }), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the colours change with the theme
  const colors = useMemo(() => themeColors(), [theme]);
  const doorOption = useMemo<ChartOption | undefined>(
    () =>
      data && {
        textStyle: { color: colors.text },
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { top: 0, textStyle: { color: colors.text } },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: {
          type: 'value',
          axisLabel: { color: colors.muted },
          splitLine: { lineStyle: { color: colors.grid } },
        },
        yAxis: { type: 'category', data: data.doors.map((d) => d.label), axisLabel: { color: colors.text } },
        series: SEVERITIES.map((s) => ({
          name: s,
          type: 'bar',
          stack: 'all',
          itemStyle: { color: colors[s] },
          data: data.doors.map((d) => d.counts[s]),
        })),
      },
    [data, colors],
  );
  const trendOption = useMemo<ChartOption | undefined>(
    () =>
      data && {
        textStyle: { color: colors.text },
        tooltip: { trigger: 'axis' },
        legend: { top: 0, textStyle: { color: colors.text } },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: {
          type: 'category',
          data: data.trend.map((t) => t.date.slice(5)),
          axisLabel: { color: colors.muted },
        },
        yAxis: {
          type: 'value',
          axisLabel: { color: colors.muted },
          splitLine: { lineStyle: { color: colors.grid } },
        },
        series: SEVERITIES.filter((s) => s !== 'UNKNOWN').map((s) => ({
          name: s,
          type: 'line',
          showSymbol: false,
          itemStyle: { color: colors[s] },
          lineStyle: { color: colors[s] },
          data: data.trend.map((t) => t[s]),
        })),
      },
    [data, colors],
  );

  return (
    <section>
      <h1 tabIndex={-1}>Overview</h1>
      {error ? <ErrorNote error={error} /> : null}
      {!data && !error ? <Loading what="the overview" /> : null}
      {data ? (
        <>
          <div className="stats">
            <div className="stat">
              <span className="stat-n">{data.targets}</span> targets
            </div>
            <div className="stat">
              <span className="stat-n">{data.scans}</span> done scans
            </div>
            <div className="stat">
              <span className="stat-n sev-text-critical">{data.totals.CRITICAL}</span> critical
            </div>
            <div className="stat">
              <span className="stat-n sev-text-high">{data.totals.HIGH}</span> high
            </div>
            <div className="stat">
              <span className="stat-n">{(data.queue.queued ?? 0) + (data.queue.running ?? 0)}</span> in the
              queue
            </div>
          </div>
          <div className="grid2">
            <section className="card" aria-labelledby="doors-h">
              <h2 id="doors-h">Findings by door and severity</h2>
              {doorOption ? (
                <Chart option={doorOption} label="Findings by door and severity (stacked bars)" />
              ) : null}
              <table className="compact">
                <caption className="visually-hidden">Findings by door</caption>
                <thead>
                  <tr>
                    <th scope="col">Door</th>
                    <th scope="col">Findings</th>
                  </tr>
                </thead>
                <tbody>
                  {data.doors.map((d) => (
                    <tr key={d.id}>
                      <th scope="row">
                        <Link to={`/findings?door=${d.id}`}>{d.label}</Link>
                      </th>
                      <td>
                        <CountsLine counts={d.counts} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card" aria-labelledby="trend-h">
              <h2 id="trend-h">Trend, last 30 days</h2>
              {trendOption ? (
                <Chart
                  option={trendOption}
                  label="Open findings per day by severity, newest scan of each target"
                />
              ) : null}
              <p className="muted small">Each day counts the newest scan of every target finished by then.</p>
            </section>
          </div>
          <div className="grid2">
            <section className="card" aria-labelledby="top-h">
              <h2 id="top-h">Riskiest images</h2>
              {data.topImages.length === 0 ? (
                <p className="muted">
                  No image scanned yet. Queue one on the <Link to="/scans">Scans</Link> page.
                </p>
              ) : (
                <ol className="top">
                  {data.topImages.map((i) => (
                    <li key={i.name}>
                      <Link to={imageHref(i.name)}>{i.name}</Link> <CountsLine counts={i.summary} />
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <Alerts />
          </div>
        </>
      ) : null}
    </section>
  );
}
