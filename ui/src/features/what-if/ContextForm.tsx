import { useId, useState } from 'react';
import type { JsonValue } from '../../lib/backend/bindings';
import { Button } from '../../shared/ui/Button';
import type { ContextField, FieldType } from './context-fields';
import { FIELD_TYPES, contextFields, convert, fieldText, parseField, withValue } from './context-fields';

type JsonObject = { [key: string]: JsonValue };

type Props = {
  /** The parsed context; null while its JSON does not parse (the form waits for the JSON to be fixed). */
  context: JsonObject | null;
  /** The attributes the segment tests, with the type their conditions suggest. */
  used: ReadonlyMap<string, FieldType>;
  onChange: (context: JsonObject) => void;
};

/**
 * The context as typed fields beside its JSON: one row per attribute the segment tests (offered
 * even when the context does not set it) and per other attribute of the context. Each edit
 * rewrites the JSON, which stays the one source of the context.
 */
export function ContextForm({ context, used, onChange }: Props) {
  // What is typed in a field while it does not hold a value yet ("4." on the way to "4.5").
  const [typing, setTyping] = useState<Record<string, string>>({});
  const [newPath, setNewPath] = useState('');
  const formId = useId();

  if (!context) {
    return <p className="muted context-form-note">Fix the JSON below to edit the context as fields.</p>;
  }
  const fields = contextFields(context, used);
  const set = (path: string, value: JsonValue | undefined) => onChange(withValue(context, path, value));

  const onText = (field: ContextField, text: string) => {
    const parsed = parseField(field.type, text, field.value);
    setTyping((t) => ({ ...t, [field.path]: text }));
    if (parsed.ok) set(field.path, parsed.value);
  };
  const endTyping = (path: string) =>
    setTyping((t) => {
      const rest = { ...t };
      delete rest[path];
      return rest;
    });

  return (
    <div className="context-form">
      <table className="context-fields" aria-label="Context attributes">
        <thead>
          <tr>
            <th scope="col">Attribute</th>
            <th scope="col">Type</th>
            <th scope="col">Value</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field, i) => {
            const id = `${formId}-${i}`;
            const text = typing[field.path] ?? fieldText(field.value);
            const parsed = field.path in typing ? parseField(field.type, text, field.value) : null;
            const problem = parsed && !parsed.ok ? parsed.problem : null;
            const unset = field.value === undefined;
            return (
              <tr key={field.path} className={unset ? 'is-unset' : undefined}>
                <th scope="row" className="mono">
                  {field.path}
                  {field.used && <span className="context-used" title="The segment tests this attribute"> · used</span>}
                </th>
                <td>
                  <select
                    aria-label={`Type of ${field.path}`}
                    value={field.type}
                    onChange={(e) => {
                      endTyping(field.path);
                      set(field.path, convert(field.value, e.target.value as FieldType));
                    }}
                  >
                    {FIELD_TYPES.map((t) => (
                      <option key={t.type} value={t.type}>
                        {t.label}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {field.type === 'yes/no' ? (
                    <select
                      aria-label={`Value of ${field.path}`}
                      value={unset ? '' : String(field.value === true)}
                      onChange={(e) => set(field.path, e.target.value === 'true')}
                    >
                      {unset && <option value="">Not set</option>}
                      <option value="true">Yes (true)</option>
                      <option value="false">No (false)</option>
                    </select>
                  ) : field.type === 'empty' ? (
                    <span className="muted">{unset ? 'Not set' : 'null'}</span>
                  ) : (
                    <>
                      <input
                        id={id}
                        aria-label={`Value of ${field.path}`}
                        value={text}
                        inputMode={field.type === 'number' ? 'decimal' : undefined}
                        placeholder={unset ? 'Not set' : field.type === 'list' ? 'a, b, c' : undefined}
                        aria-invalid={problem ? true : undefined}
                        aria-describedby={problem ? `${id}-problem` : undefined}
                        onChange={(e) => onText(field, e.target.value)}
                        onBlur={() => endTyping(field.path)}
                      />
                      {problem && (
                        <span id={`${id}-problem`} className="field-issue">
                          {problem}
                        </span>
                      )}
                    </>
                  )}
                </td>
                <td>
                  {!unset && (
                    <Button
                      size="sm"
                      variant="ghost"
                      aria-label={`Remove ${field.path} from the context`}
                      title={`Remove ${field.path} from the context`}
                      onClick={() => set(field.path, undefined)}
                    >
                      ✕
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const path = newPath.trim();
          if (!path || fields.some((f) => f.path === path && f.value !== undefined)) return;
          set(path, '');
          setNewPath('');
        }}
      >
        <input aria-label="New attribute name" placeholder="Add an attribute, like address.city" value={newPath} onChange={(e) => setNewPath(e.target.value)} />
        <Button type="submit" size="sm" disabled={!newPath.trim()} aria-label="Add attribute to the context">
          Add
        </Button>
      </form>
    </div>
  );
}
