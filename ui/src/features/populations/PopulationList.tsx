import type { StoredPopulation } from '../../lib/backend/bindings';
import { absoluteTime, relativeTime } from '../../lib/time';
import { Button } from '../../shared/ui/Button';
import { formatCount, formatKind } from './format';

type Props = {
  populations: StoredPopulation[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  onRemove: (population: StoredPopulation) => void;
  removing: string | null;
};

/** Every population added: name, format, users, file, and when it was added and last read. */
export function PopulationList({ populations, selectedId, onSelect, onRemove, removing }: Props) {
  return (
    <ul className="population-cards" aria-label="Populations">
      {populations.map((p) => {
        const selected = p.id === selectedId;
        return (
          <li key={p.id} className={`population-card${selected ? ' is-selected' : ''}`}>
            <div className="population-card-head">
              <button
                type="button"
                className="population-select link"
                aria-pressed={selected}
                aria-label={`Show population ${p.name}`}
                onClick={() => onSelect(p.id)}
              >
                {p.name}
              </button>
              <span className="format-tag">{formatKind(p.kind)}</span>
            </div>
            <dl className="population-facts">
              <dt>Users</dt>
              <dd>
                {formatCount(p.rows)}
                {p.invalid > 0 && <span className="muted"> ({formatCount(p.invalid)} rows unreadable)</span>}
              </dd>
              <dt>File</dt>
              <dd className="mono population-path" title={p.path}>
                {p.path}
              </dd>
              <dt>Added</dt>
              <dd title={absoluteTime(p.added_at)}>{relativeTime(p.added_at)}</dd>
              <dt>Read</dt>
              <dd title={absoluteTime(p.read_at)}>{relativeTime(p.read_at)}</dd>
            </dl>
            <Button
              size="sm"
              variant="danger"
              aria-label={`Remove population ${p.name}`}
              disabled={removing === p.id}
              onClick={() => onRemove(p)}
            >
              Remove
            </Button>
          </li>
        );
      })}
    </ul>
  );
}
