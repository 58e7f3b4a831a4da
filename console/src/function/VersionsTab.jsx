export function VersionsTab() {
  return <p>Coming up.</p>;
}
