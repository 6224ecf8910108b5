import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * A thin ECharts wrapper: one chart per element, resized with its box, options replaced on change.
 * SVG rendering keeps text crisp and selectable; `label` is the accessible name (the data is also in
 * a table beside every chart).
 */
export function Chart({
  option,
  label,
  height = 260,
}: {
  option: ChartOption;
  label: string;
  height?: number;
}) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts>(undefined);
  useEffect(() => {
    if (!el.current) return undefined;
    const c = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el.current);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = undefined;
    };
  }, []);
  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);
  return <div ref={el} className="chart" role="img" aria-label={label} style={{ height }} />;
}

/** The colours of the current theme (CSS custom properties), for charts drawn outside CSS. */
export function themeColors(): Record<string, string> {
  const css = getComputedStyle(document.documentElement);
  const v = (n: string) => css.getPropertyValue(n).trim();
  return {
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--border'),
    CRITICAL: v('--sev-critical'),
    HIGH: v('--sev-high'),
    MEDIUM: v('--sev-medium'),
    LOW: v('--sev-low'),
    UNKNOWN: v('--sev-unknown'),
  };
}
