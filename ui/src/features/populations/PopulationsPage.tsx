import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useBackend } from '../../lib/backend/backend';
import type { StoredPopulation } from '../../lib/backend/bindings';
import { toIpcError } from '../../lib/backend/errors';
import { queryKeys } from '../../lib/query-keys';
import { absoluteTime } from '../../lib/time';
import { useConfirm } from '../../shared/ui/confirm';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { useToast } from '../../shared/ui/toast';
import { AddPopulationForm } from './AddPopulationForm';
import { AttributeTable } from './AttributeTable';
import { AudienceChart } from './AudienceChart';
import { formatBytes, formatCount, formatKind } from './format';
import { OverlapView } from './OverlapView';
import { PopulationList } from './PopulationList';
import { usePopulations, useSelectedPopulation } from './queries';
import './populations.css';

/** The populations (add form and list) beside the chosen one: its attributes, audiences and overlaps. */
export function PopulationsPage() {
  const backend = useBackend();
  const qc = useQueryClient();
  const confirm = useConfirm();
  const toast = useToast();
  const populations = usePopulations();
  const { selected, choose } = useSelectedPopulation();
  const list = populations.data ?? [];
  // The chosen population, or the first one while none is chosen.
  const current = selected ?? list[0] ?? null;

  const remove = useMutation({
    mutationFn: (p: StoredPopulation) => backend.removePopulation(p.id),
    onSuccess: (removed) => {
      toast.show({ message: `Removed “${removed.name}” (the file stays where it is)`, tone: 'success' });
      void qc.invalidateQueries({ queryKey: queryKeys.populations() });
      qc.removeQueries({ queryKey: queryKeys.allAudiences() });
    },
  });

  const askRemove = async (p: StoredPopulation) => {
    const ok = await confirm({
      title: `Remove “${p.name}”?`,
      message: 'Segment Studio forgets this population. The file itself is not deleted; you can add it again later.',
      confirmLabel: 'Yes, remove',
      cancelLabel: 'Cancel',
      danger: true,
    });
    if (ok) remove.mutate(p);
  };

  return (
    <section className="populations-page" aria-label="Populations page">
      <div className="populations-column">
        <h2 className="pane-title">Populations</h2>
        <p className="hint">Files of your real users. See how many people each segment reaches before you ship it.</p>
        <ErrorBanner error={populations.error ? toIpcError(populations.error) : null} action="Couldn't load the populations" showMessage />
        <ErrorBanner error={remove.error ? toIpcError(remove.error) : null} action="Couldn't remove the population" showMessage />
        {populations.data?.length === 0 && <p className="muted">No populations yet. Add a file below.</p>}
        {list.length > 0 && (
          <PopulationList
            populations={list}
            selectedId={current?.id ?? null}
            onSelect={choose}
            onRemove={(p) => void askRemove(p)}
            removing={remove.isPending ? (remove.variables?.id ?? null) : null}
          />
        )}
        <AddPopulationForm onAdded={(p) => choose(p.id)} />
      </div>
      <div className="population-detail">
        {current ? (
          <>
            <header className="population-detail-head">
              <h2>{current.name}</h2>
              <p className="muted">
                {formatCount(current.rows)} users · {formatKind(current.kind)} · {formatBytes(current.stamp.size)} · read{' '}
                {absoluteTime(current.read_at)}
              </p>
            </header>
            <AudienceChart key={`audience-${current.id}`} population={current} />
            <OverlapView key={`overlap-${current.id}`} population={current} />
            <section className="attributes-section" aria-label="Population attributes">
              <h3 className="section-title">Attributes</h3>
              <AttributeTable attributes={current.attributes} rows={current.rows} />
            </section>
          </>
        ) : (
          <div className="population-empty">
            <h2>No population yet</h2>
            <p className="muted">Add a file of your users to see audience sizes, overlaps and what a change to a segment does.</p>
          </div>
        )}
      </div>
    </section>
  );
}
