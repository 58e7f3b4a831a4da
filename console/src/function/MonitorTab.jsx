export function MonitorTab() {
  return <p>Coming up.</p>;
}
