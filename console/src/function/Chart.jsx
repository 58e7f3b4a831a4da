// A time series chart (uPlot): timestamps in seconds, one or more series of values (null where there is none).
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

const COLOURS = ["#0073bb", "#d13212", "#1d8102", "#ec7211"];

export function Chart({ labels, times, series, unit }) {
  const host = useRef(null);
  useEffect(() => {
    const el = host.current;
    const plot = new uPlot({
      width: Math.max(300, el.clientWidth - 8), height: 170,
      series: [{}, ...labels.map((label, i) => ({ label, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true, size: 4 },
        value: (_, v) => (v == null ? "-" : `${Number.isInteger(v) ? v : v.toFixed(2)}${unit ? ` ${unit}` : ""}`) }))],
      axes: [{}, { size: 50 }],
      scales: { x: { time: true } },
      legend: { live: true },
    }, [times, ...series], el);
    return () => plot.destroy();
  }, [labels.join(), times.join(), series.map((s) => s.join()).join("|")]);
  return <div ref={host} />;
}
