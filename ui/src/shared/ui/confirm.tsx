import { createContext, useCallback, useContext, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Button } from './Button';
import { Dialog } from './Dialog';

type ConfirmOptions = {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  danger?: boolean;
};

/** A question with a third answer, such as "Save and continue" beside "Discard and continue". */
type ChoiceOptions = ConfirmOptions & { alternativeLabel: string };

/** Which button answered: cancel also covers Escape and a newer question. */
export type Choice = 'confirm' | 'alternative' | 'cancel';

type Pending = ConfirmOptions & { alternativeLabel?: string; resolve: (c: Choice) => void };

const ConfirmContext = createContext<((o: ConfirmOptions & { alternativeLabel?: string }) => Promise<Choice>) | null>(null);

/** In-app confirm dialogs (window.confirm is not reliable inside a Tauri webview or under WebDriver). */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const resolveRef = useRef<((c: Choice) => void) | null>(null);

  const ask = useCallback(
    (options: ConfirmOptions & { alternativeLabel?: string }) =>
      new Promise<Choice>((resolve) => {
        // a newer question cancels an unanswered one
        resolveRef.current?.('cancel');
        resolveRef.current = resolve;
        setPending({ ...options, resolve });
      }),
    [],
  );

  const close = (choice: Choice) => {
    pending?.resolve(choice);
    resolveRef.current = null;
    setPending(null);
  };

  return (
    <ConfirmContext value={ask}>
      {children}
      {pending && (
        <Dialog
          title={pending.title}
          description={pending.message}
          onClose={() => close('cancel')}
          actions={
            <>
              {/* aria-labels too: WebDriver tests find controls by [aria-label] */}
              <Button data-autofocus onClick={() => close('cancel')} aria-label={pending.cancelLabel ?? 'Cancel'}>
                {pending.cancelLabel ?? 'Cancel'}
              </Button>
              <Button variant={pending.danger ? 'danger' : 'primary'} onClick={() => close('confirm')} aria-label={pending.confirmLabel}>
                {pending.confirmLabel}
              </Button>
              {pending.alternativeLabel && (
                <Button variant="primary" onClick={() => close('alternative')} aria-label={pending.alternativeLabel}>
                  {pending.alternativeLabel}
                </Button>
              )}
            </>
          }
        />
      )}
    </ConfirmContext>
  );
}

function useAsk() {
  const ask = useContext(ConfirmContext);
  if (!ask) throw new Error('useConfirm() needs <ConfirmProvider>');
  return ask;
}

/** Asks a yes/no question in an in-app dialog: true when confirmed. */
export function useConfirm(): (o: ConfirmOptions) => Promise<boolean> {
  const ask = useAsk();
  return useCallback((o: ConfirmOptions) => ask(o).then((c) => c === 'confirm'), [ask]);
}

/** Asks a question with three answers. */
export function useChoice(): (o: ChoiceOptions) => Promise<Choice> {
  return useAsk();
}
