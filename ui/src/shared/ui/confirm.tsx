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

type Pending = ConfirmOptions & { resolve: (ok: boolean) => void };

const ConfirmContext = createContext<((o: ConfirmOptions) => Promise<boolean>) | null>(null);

/** In-app confirm dialogs (window.confirm is not reliable inside a Tauri webview or under WebDriver). */
export function ConfirmProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<Pending | null>(null);
  const resolveRef = useRef<((ok: boolean) => void) | null>(null);

  const confirm = useCallback(
    (options: ConfirmOptions) =>
      new Promise<boolean>((resolve) => {
        // a newer question cancels an unanswered one
        resolveRef.current?.(false);
        resolveRef.current = resolve;
        setPending({ ...options, resolve });
      }),
    [],
  );

  const close = (ok: boolean) => {
    pending?.resolve(ok);
    resolveRef.current = null;
    setPending(null);
  };

  return (
    <ConfirmContext value={confirm}>
      {children}
      {pending && (
        <Dialog
          title={pending.title}
          description={pending.message}
          onClose={() => close(false)}
          actions={
            <>
              {/* aria-labels too: WebDriver tests find controls by [aria-label] */}
              <Button data-autofocus onClick={() => close(false)} aria-label={pending.cancelLabel ?? 'Cancel'}>
                {pending.cancelLabel ?? 'Cancel'}
              </Button>
              <Button variant={pending.danger ? 'danger' : 'primary'} onClick={() => close(true)} aria-label={pending.confirmLabel}>
                {pending.confirmLabel}
              </Button>
            </>
          }
        />
      )}
    </ConfirmContext>
  );
}

export function useConfirm(): (o: ConfirmOptions) => Promise<boolean> {
  const c = useContext(ConfirmContext);
  if (!c) throw new Error('useConfirm() needs <ConfirmProvider>');
  return c;
}
