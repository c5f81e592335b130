import { useDeferredValue, useMemo, useRef, useState } from 'react';
import type { KeyboardEvent, ReactNode, Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { IpcError, SegmentAudience, SegmentSummary } from '../../lib/backend/bindings';
import { absoluteTime, relativeTime } from '../../lib/time';
import { Button } from '../../shared/ui/Button';
import { formatCount, formatShare } from '../populations/format';
import { ErrorBanner } from '../../shared/ui/ErrorBanner';
import { SyncBadges } from '../sync/SyncBadges';
import type { BadgesByKey } from '../sync/useSyncBadges';
import { SORT_LABELS, filterSegments, sortSegments } from './filter';
import { SegmentLogic } from './SegmentLogic';
import type { SortOrder } from './filter';
import './segments.css';

const ROW_HEIGHT = 68;

type Props = {
  segments: SegmentSummary[] | undefined;
  loading: boolean;
  error: IpcError | null;
  selectedKey: string | null;
  onOpen: (key: string) => void;
  onNew: () => void;
  searchInputRef?: Ref<HTMLInputElement>;
  /** Each segment's sync badges, one per remote (none without remotes). */
  badges?: BadgesByKey;
  /** Each segment's audience in the chosen population (none while no population is chosen). */
  shares?: { population: string; bySegment: Map<string, SegmentAudience> };
  /** Below the list ("Recently deleted"). */
  footer?: ReactNode;
};

export function SegmentList({ segments, loading, error, selectedKey, onOpen, onNew, searchInputRef, badges, shares, footer }: Props) {
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<SortOrder>('name');
  const [active, setActive] = useState(0);
  const deferredSearch = useDeferredValue(search);
  const scrollRef = useRef<HTMLDivElement>(null);

  const visible = useMemo(
    () => sortSegments(filterSegments(segments ?? [], deferredSearch), order),
    [segments, deferredSearch, order],
  );
  const activeIndex = Math.min(active, Math.max(visible.length - 1, 0));

  // eslint-disable-next-line react-hooks/incompatible-library -- we don't use the React Compiler; TanStack Virtual is used as documented
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => visible[i]?.key ?? i,
  });

  const move = (to: number) => {
    const i = Math.max(0, Math.min(visible.length - 1, to));
    setActive(i);
    virtualizer.scrollToIndex(i, { align: 'auto' });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (visible.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        move(activeIndex + 1);
        break;
      case 'ArrowUp':
        move(activeIndex - 1);
        break;
      case 'PageDown':
        move(activeIndex + page);
        break;
      case 'PageUp':
        move(activeIndex - page);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(visible.length - 1);
        break;
      case 'Enter':
      case ' ':
        onOpen(visible[activeIndex].key);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const total = segments?.length ?? 0;
  const countText =
    deferredSearch.trim() === ''
      ? `${total} ${total === 1 ? 'segment' : 'segments'}`
      : `${visible.length} of ${total} segments`;
  const activeKey = visible[activeIndex]?.key;

  return (
    <section className="segment-list" aria-label="Segment list">
      <div className="list-toolbar">
        <input
          ref={searchInputRef}
          type="search"
          className="search"
          aria-label="Search segments"
          placeholder="Search key, name, attribute…  ( / )"
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown' && visible.length > 0) {
              e.preventDefault();
              scrollRef.current?.focus();
            }
          }}
        />
        <div className="list-toolbar-row">
          <select aria-label="Sort segments" value={order} onChange={(e) => setOrder(e.target.value as SortOrder)}>
            {(Object.keys(SORT_LABELS) as SortOrder[]).map((o) => (
              <option key={o} value={o}>
                {SORT_LABELS[o]}
              </option>
            ))}
          </select>
          <Button variant="primary" size="sm" onClick={onNew} aria-label="New segment" title="New segment (Ctrl+N)">
            + New
          </Button>
        </div>
        <p className="list-count" role="status" aria-label="Segment count">
          {loading ? 'Loading…' : countText}
        </p>
      </div>

      <ErrorBanner error={error} action="Couldn't load segments" />

      {!loading && visible.length === 0 && !error && (
        <div className="empty-list">
          {total === 0 ? (
            <p>No segments yet. Create one with “New”, or import a file.</p>
          ) : (
            <p>No segments match “{deferredSearch}”.</p>
          )}
        </div>
      )}

      <div
        ref={scrollRef}
        className="list-scroll"
        role="listbox"
        aria-label="Segments"
        tabIndex={0}
        aria-activedescendant={activeKey ? `segment-option-${activeKey}` : undefined}
        onKeyDown={onKeyDown}
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const s = visible[row.index];
            if (!s) return null;
            const selected = s.key === selectedKey;
            const rowBadges = badges?.get(s.key);
            const badgesId = `segment-badges-${s.key}`;
            const share = shares?.bySegment.get(s.key);
            return (
              <div
                key={row.key}
                id={`segment-option-${s.key}`}
                role="option"
                aria-selected={selected}
                aria-posinset={row.index + 1}
                aria-setsize={visible.length}
                aria-label={`${s.name || s.key} (${s.key})`}
                aria-describedby={rowBadges?.length ? badgesId : undefined}
                className={`segment-row${selected ? ' is-selected' : ''}${row.index === activeIndex ? ' is-active' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}
                onClick={() => {
                  setActive(row.index);
                  onOpen(s.key);
                }}
              >
                <div className="segment-row-top">
                  <span className="segment-name">{s.name || s.key}</span>
                  {share && shares && (
                    <span
                      className="segment-share"
                      title={`${formatCount(share.matched)} users in ${shares.population}`}
                      aria-label={`${formatShare(share.share)} of users in ${shares.population}`}
                    >
                      {formatShare(share.share)}
                    </span>
                  )}
                  <span className="segment-updated" title={absoluteTime(s.updated_at)}>
                    {relativeTime(s.updated_at)}
                  </span>
                </div>
                <div className="segment-row-key">
                  <span className="segment-key mono">{s.key}</span>
                  <SyncBadges id={badgesId} badges={rowBadges} />
                </div>
                <SegmentLogic summary={s} />
              </div>
            );
          })}
        </div>
      </div>
      {footer && <div className="list-footer">{footer}</div>}
    </section>
  );
}
