import { useMemo } from 'react';
import CodeMirror from '@uiw/react-codemirror';
import { json } from '@codemirror/lang-json';
import { EditorView } from '@codemirror/view';

type Props = {
  value: string;
  onChange?: (text: string) => void;
  /** Accessible name of the editable area (e.g. "Context JSON"). */
  ariaLabel: string;
  readOnly?: boolean;
  height?: string;
  minHeight?: string;
  maxHeight?: string;
  invalid?: boolean;
  describedBy?: string;
};

/** CodeMirror JSON editor. Tab moves focus (no tab trapping); the content area is a labelled textbox. */
export function JsonEditor({ value, onChange, ariaLabel, readOnly, height, minHeight, maxHeight, invalid, describedBy }: Props) {
  const extensions = useMemo(
    () => [
      json(),
      EditorView.lineWrapping,
      EditorView.contentAttributes.of({
        'aria-label': ariaLabel,
        ...(invalid ? { 'aria-invalid': 'true' } : {}),
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
      }),
    ],
    [ariaLabel, invalid, describedBy],
  );
  return (
    <div className={`json-editor${invalid ? ' is-invalid' : ''}`}>
      <CodeMirror
        value={value}
        onChange={onChange}
        readOnly={readOnly}
        editable={!readOnly}
        extensions={extensions}
        height={height}
        minHeight={minHeight}
        maxHeight={maxHeight}
        indentWithTab={false}
        basicSetup={{ foldGutter: true, highlightActiveLine: !readOnly, autocompletion: false, searchKeymap: true }}
      />
    </div>
  );
}
