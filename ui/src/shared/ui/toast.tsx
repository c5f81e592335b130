import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { Button } from './Button';

type ToastAction = { label: string; ariaLabel?: string; onClick: () => void };
type ToastInput = {
  message: string;
  tone?: 'info' | 'success' | 'error';
  action?: ToastAction;
  /** ms before it disappears; default 5000 (8000 with an action). */
  duration?: number;
};
type Toast = ToastInput & { id: number };

type ToastApi = { show: (t: ToastInput) => void; dismiss: (id: number) => void };

const ToastContext = createContext<ToastApi | null>(null);

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const duration = toast.duration ?? (toast.action ? 8000 : 5000);
  useEffect(() => {
    const t = setTimeout(() => onDismiss(toast.id), duration);
    return () => clearTimeout(t);
  }, [toast.id, duration, onDismiss]);
  return (
    <div className={`toast toast-${toast.tone ?? 'info'}`}>
      <span>{toast.message}</span>
      {toast.action && (
        <Button
          size="sm"
          variant="ghost"
          aria-label={toast.action.ariaLabel ?? toast.action.label}
          onClick={() => {
            toast.action?.onClick();
            onDismiss(toast.id);
          }}
        >
          {toast.action.label}
        </Button>
      )}
      <Button size="sm" variant="ghost" aria-label="Dismiss notification" onClick={() => onDismiss(toast.id)}>
        ✕
      </Button>
    </div>
  );
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((ts) => ts.filter((t) => t.id !== id)), []);
  const show = useCallback((t: ToastInput) => {
    const id = nextId.current++;
    setToasts((ts) => [...ts.slice(-3), { ...t, id }]);
  }, []);
  const api = useMemo(() => ({ show, dismiss }), [show, dismiss]);

  return (
    <ToastContext value={api}>
      {children}
      <div className="toasts" role="status" aria-live="polite" aria-label="Notifications">
        {toasts.map((t) => (
          <ToastItem key={t.id} toast={t} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext>
  );
}

export function useToast(): ToastApi {
  const c = useContext(ToastContext);
  if (!c) throw new Error('useToast() needs <ToastProvider>');
  return c;
}
