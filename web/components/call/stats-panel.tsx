/**
 * The stats panel: what the connection does, refreshed every second from getStats (insight.ts).
 * A table for what goes each way (received / sent), a list for the connection as a whole. Not a
 * live region: numbers changing every second would drown a screen reader; they read it on demand.
 * Loaded the first time "Stats" opens it (tile-insight.tsx), as few calls do.
 */
import './stats-panel.css';
import type { CallInsight } from '../../call/insight/insight.ts';
import { connectionRows, directionRows } from './insight-text.ts';
import { useEmitted } from './use-emitted.ts';

export default function StatsPanel({ id, insight }: { id: string; insight: CallInsight }) {
  const sample = useEmitted((listener) => insight.on('sample', listener), insight.sample, [insight]);
  const setup = useEmitted((listener) => insight.on('setup', listener), insight.setup, [insight]);
  return (
    <section id={id} class="stats-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Call stats</h2>
      {sample ? (
        <table>
          <thead>
            <tr>
              <td />
              <th scope="col">Received</th>
              <th scope="col">Sent</th>
            </tr>
          </thead>
          <tbody>
            {directionRows(sample).map(([label, received, sent]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>{received}</td>
                <td>{sent}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Not connected to anyone yet.</p>
      )}
      <dl>
        {connectionRows(sample, setup).map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
