// The segment(s) an in_segment / not_in_segment condition refers to: a searchable list of
// segment names (the key as secondary text). One segment, or several as removable chips.
import { useId, useState } from 'react';
import type { KeyboardEvent } from 'react';
import type { SegmentChoice } from '../builder-context';

type Props = {
  id: string;
  /** The search box's accessible name, e.g. "Condition 2 value". */
  label: string;
  /** "Condition 2", for the chips' remove buttons. */
  conditionName: string;
  selected: string[];
  multi: boolean;
  segments: SegmentChoice[];
  disabled?: boolean;
  invalid?: { 'aria-invalid'?: true; 'aria-describedby'?: string };
  onChange: (keys: string[]) => void;
};

function matches(s: SegmentChoice, query: string): boolean {
  const q = query.trim().toLowerCase();
  return q === '' || s.name.toLowerCase().includes(q) || s.key.includes(q);
}

export function SegmentPicker({ id, label, conditionName, selected, multi, segments, disabled, invalid, onChange }: Props) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const nameOf = (key: string) => segments.find((s) => s.key === key)?.name || key;
  const options = segments.filter((s) => !(multi && selected.includes(s.key)) && matches(s, query));
  const activeIndex = Math.min(active, options.length - 1);

  const pick = (key: string) => {
    onChange(multi ? [...selected, key] : [key]);
    setQuery('');
    setActive(0);
    if (!multi) setOpen(false);
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive(Math.max(0, Math.min(options.length - 1, activeIndex + step)));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (open && options[activeIndex]) pick(options[activeIndex].key);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      setOpen(false);
    } else if (e.key === 'Backspace' && multi && query === '' && selected.length > 0) {
      onChange(selected.slice(0, -1));
    }
  };

  const current = !multi && selected[0] !== undefined ? nameOf(selected[0]) : '';
  const optionId = (key: string) => `${listId}-${key}`;
  return (
    <span className="segment-picker">
      {multi && selected.length > 0 && (
        <ul className="chip-list" aria-label={`${conditionName} segments`}>
          {selected.map((key) => (
            <li key={key} className="chip">
              <span>{nameOf(key)}</span>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove segment ${nameOf(key)} from ${conditionName.toLowerCase()}`}
                disabled={disabled}
                onClick={() => onChange(selected.filter((k) => k !== key))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="text"
        role="combobox"
        className="segment-search"
        aria-label={label}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={open && options[activeIndex] ? optionId(options[activeIndex].key) : undefined}
        placeholder={current || (multi && selected.length > 0 ? 'add a segment…' : 'Search segments…')}
        title={!multi && selected[0] ? `${current} (${selected[0]})` : undefined}
        value={open ? query : current}
        disabled={disabled}
        autoComplete="off"
        spellCheck={false}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setQuery('');
        }}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
        {...invalid}
      />
      {open && options.length === 0 && <span className="segment-options segment-options-empty">No segment matches “{query}”</span>}
      {open && options.length > 0 && (
        <ul className="segment-options" role="listbox" id={listId} aria-label={`Segments for ${conditionName.toLowerCase()}`}>
          {options.map((s, i) => (
            <li
              key={s.key}
              id={optionId(s.key)}
              role="option"
              aria-selected={i === activeIndex}
              aria-label={`${s.name || s.key} (${s.key})`}
              className={i === activeIndex ? 'is-active' : undefined}
              // keep the focus in the search box, so the click picks before the list closes
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => pick(s.key)}
            >
              <span className="segment-option-name">{s.name || s.key}</span>
              <span className="segment-option-key mono">{s.key}</span>
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}
