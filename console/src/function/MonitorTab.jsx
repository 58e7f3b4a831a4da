// The Monitor tab: CloudWatch metrics of the function (GetMetricData: invocations, errors, throttles, duration
// p50/p99, concurrent executions) as charts, its recent log streams and their events, a live tail (polling
// FilterLogEvents every two seconds), and this month's usage and cost from Kindling's usage report.
import { useEffect, useRef, useState } from "preact/hooks";
import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { DescribeLogStreamsCommand, GetLogEventsCommand, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { aws, usageThisMonth } from "../aws.js";
import { Action, ErrorBox, Loaded, formatDate, useLoad } from "../ui.jsx";
import { Chart } from "./Chart.jsx";

const RANGES = [{ label: "1h", seconds: 3600 }, { label: "3h", seconds: 3 * 3600 }, { label: "12h", seconds: 12 * 3600 }, { label: "1d", seconds: 86400 }];

const CHARTS = [
  { metric: "Invocations", title: "Invocations", queries: [{ id: "invocations", stat: "Sum", label: "Invocations" }], total: true },
  { metric: "Errors", title: "Errors", queries: [{ id: "errors", stat: "Sum", label: "Errors" }], total: true },
  { metric: "Throttles", title: "Throttles", queries: [{ id: "throttles", stat: "Sum", label: "Throttles" }], total: true },
  { metric: "Duration", title: "Duration", unit: "ms", queries: [{ id: "p50", stat: "p50", label: "p50" }, { id: "p99", stat: "p99", label: "p99" }] },
  { metric: "ConcurrentExecutions", title: "Concurrent executions", queries: [{ id: "concurrent", stat: "Maximum", label: "Maximum" }] },
];

async function metrics(name, seconds) {
  const end = new Date(Math.ceil(Date.now() / 60000) * 60000);
  const start = new Date(end.getTime() - seconds * 1000);
  const period = seconds > 6 * 3600 ? 300 : 60;
  const queries = CHARTS.flatMap((c) => c.queries.map((q) => ({
    Id: q.id, Label: q.label,
    MetricStat: { Metric: { Namespace: "AWS/Lambda", MetricName: c.metric, Dimensions: [{ Name: "FunctionName", Value: name }] }, Period: period, Stat: q.stat },
  })));
  const results = {};
  let NextToken;
  do {
    const page = await aws().cloudwatch.send(new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: start, EndTime: end, ScanBy: "TimestampAscending", NextToken }));
    for (const r of page.MetricDataResults ?? []) {
      const into = (results[r.Id] ??= new Map());
      (r.Timestamps ?? []).forEach((t, i) => into.set(new Date(t).getTime() / 1000, r.Values[i]));
    }
    NextToken = page.NextToken;
  } while (NextToken);
  return results;
}

/** One chart's aligned data: the union of its series' timestamps, each series' value or null there. */
function align(chart, results) {
  const times = [...new Set(chart.queries.flatMap((q) => [...(results[q.id]?.keys() ?? [])]))].sort((a, b) => a - b);
  return { times, series: chart.queries.map((q) => times.map((t) => results[q.id]?.get(t) ?? null)) };
}

export function MonitorTab({ fn }) {
  const name = fn.Configuration.FunctionName;
  const [range, setRange] = useState(RANGES[0]);
  const state = useLoad(() => metrics(name, range.seconds), [name, range.seconds]);
  return (
    <div class="monitor">
      <section class="panel">
        <div class="row">
          <h2>Metrics</h2>
          <span class="spacer" />
          {RANGES.map((r) => <button type="button" aria-pressed={r === range} onClick={() => setRange(r)}>{r.label}</button>)}
          <button type="button" class={state.loading ? "busy" : ""} onClick={state.reload} aria-label="Refresh the metrics">Refresh</button>
        </div>
        {state.error && <ErrorBox error={state.error} title="CloudWatch GetMetricData failed" />}
        <div class="charts">
          {CHARTS.map((c) => {
            const data = state.value ? align(c, state.value) : { times: [], series: c.queries.map(() => []) };
            const total = c.total ? data.series[0].reduce((a, v) => a + (v ?? 0), 0) : null;
            return (
              <div class="chart" data-metric={c.metric}>
                <h3>{c.title}{c.unit ? ` (${c.unit})` : ""}</h3>
                {c.total && <p class="total" aria-label={`${c.title} in the last ${range.label}`}>{state.value ? `${total} in the last ${range.label}` : "…"}</p>}
                {data.times.length ? <Chart labels={c.queries.map((q) => q.label)} times={data.times} series={data.series} unit={c.unit} />
                  : <p class="muted">{state.value ? "No data in this period." : ""}</p>}
              </div>
            );
          })}
        </div>
      </section>
      <Logs name={name} />
      <Usage name={name} />
    </div>
  );
}

function Logs({ name }) {
  const group = `/aws/lambda/${name}`;
  const streams = useLoad(async () => {
    try {
      return (await aws().logs.send(new DescribeLogStreamsCommand({ logGroupName: group, orderBy: "LastEventTime", descending: true, limit: 10 }))).logStreams ?? [];
    } catch (e) {
      if (e.name === "ResourceNotFoundException") return []; // no invocation yet: no log group
      throw e;
    }
  }, [group]);
  const [open, setOpen] = useState(null);
  const [events, setEvents] = useState(null);
  const show = async (stream) => {
    setOpen(stream);
    const out = await aws().logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: false, limit: 200 }));
    setEvents(out.events ?? []);
  };
  return (
    <section class="panel logs-panel">
      <div class="row"><h2>Recent log streams</h2><span class="spacer" /><span class="mono muted">{group}</span>
        <button type="button" onClick={streams.reload}>Refresh</button></div>
      <Loaded state={streams} what="the log streams">{(list) => (
        <table>
          <thead><tr><th>Log stream</th><th>Last event</th><th /></tr></thead>
          <tbody>
            {list.map((s) => (
              <tr><td class="mono">{s.logStreamName}</td><td>{formatDate(s.lastEventTimestamp)}</td>
                <td><Action action={() => show(s.logStreamName)} label={`Show the events of ${s.logStreamName}`}>Show events</Action></td></tr>
            ))}
            {list.length === 0 && <tr><td colspan="3" class="muted">No log streams yet: invoke the function.</td></tr>}
          </tbody>
        </table>
      )}</Loaded>
      {open && events && (
        <>
          <h3>Events of <span class="mono">{open}</span></h3>
          <pre class="log-events">{events.map((e) => `${new Date(e.timestamp).toISOString()} ${e.message.replace(/\n$/, "")}`).join("\n")}</pre>
        </>
      )}
      <LiveTail group={group} />
    </section>
  );
}

function LiveTail({ group }) {
  const [running, setRunning] = useState(false);
  const [lines, setLines] = useState([]);
  const [error, setError] = useState(null);
  const since = useRef(Date.now());
  useEffect(() => {
    if (!running) return undefined;
    let stopped = false;
    const seen = new Set();
    const poll = async () => {
      try {
        const out = await aws().logs.send(new FilterLogEventsCommand({ logGroupName: group, startTime: since.current }));
        const fresh = (out.events ?? []).filter((e) => !seen.has(e.eventId));
        fresh.forEach((e) => { seen.add(e.eventId); since.current = Math.max(since.current, e.timestamp); });
        if (fresh.length) setLines((l) => [...l, ...fresh.map((e) => `${new Date(e.timestamp).toISOString()} ${e.logStreamName.split("]").pop()} ${e.message.replace(/\n$/, "")}`)].slice(-500));
        setError(null);
      } catch (e) {
        if (e.name !== "ResourceNotFoundException") setError(e);
      }
      if (!stopped) timer = setTimeout(poll, 2000);
    };
    let timer = setTimeout(poll, 0);
    return () => { stopped = true; clearTimeout(timer); };
  }, [running, group]);
  return (
    <>
      <div class="row"><h3>Live tail</h3>
        <button type="button" onClick={() => { if (!running) { since.current = Date.now() - 60000; setLines([]); } setRunning(!running); }}>
          {running ? "Stop live tail" : "Start live tail"}</button>
        {running && <span class="muted busy" role="status">Tailing new events</span>}</div>
      <ErrorBox error={error} title="Live tail failed" />
      {(running || lines.length > 0) && <pre class="live-tail" aria-live="polite">{lines.join("\n") || "Waiting for events…"}</pre>}
    </>
  );
}

function Usage({ name }) {
  const state = useLoad(usageThisMonth, []);
  return (
    <section class="panel usage">
      <h2>Usage and cost this month</h2>
      <Loaded state={state} what="the usage report">{(report) => {
        const lines = (report.Functions ?? []).filter((f) => f.FunctionName === name);
        const sum = (pick) => lines.reduce((a, f) => a + Number(pick(f) ?? 0), 0);
        return (
          <dl class="summary">
            <dt>Period</dt><dd>{formatDate(report.Period?.Start)} to {formatDate(report.Period?.End)}</dd>
            <dt>Requests</dt><dd class="usage-requests">{sum((f) => f.Requests)}</dd>
            <dt>Duration</dt><dd>{sum((f) => f.GBSeconds).toFixed(4)} GB-seconds</dd>
            <dt>Provisioned concurrency</dt><dd>{sum((f) => f.ProvisionedGBSeconds).toFixed(4)} GB-seconds</dd>
            <dt>Cost of this function</dt><dd>{sum((f) => f.Cost?.BeforeFreeTier).toFixed(6)} {report.Currency} before the free tier ({report.Prices})</dd>
            <dt>Account's bill</dt><dd>{report.Bill?.AfterFreeTier} {report.Currency} after the free tier</dd>
          </dl>
        );
      }}</Loaded>
    </section>
  );
}
