// The cascade's base layers, in this order and ahead of every feature's own stylesheet (imported
// by the feature's main component): rules of equal specificity later in the cascade win.
import './app.css';
import '../shared/ui/controls.css';
import './shell.css';
import '../shared/ui/ui.css';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState } from 'react';
import type { Backend } from '../lib/backend/backend';
import { BackendContext } from '../lib/backend/backend';
import { ImportExportButtons } from '../features/import-export/ImportExport';
import { PopulationsPage } from '../features/populations/PopulationsPage';
import { PopulationSelectionProvider } from '../features/populations/selection';
import { RemotesPage } from '../features/remotes/RemotesPage';
import { PersonasPage } from '../features/what-if/PersonasPage';
import { SqlChoiceProvider } from '../features/warehouse/sql-choice';
import { ConfirmProvider } from '../shared/ui/confirm';
import { ToastProvider } from '../shared/ui/toast';
import { useWorkspace } from './useWorkspace';
import { Workspace } from './Workspace';

/** The context the what-if panel starts with: a user in the demo data's one schema (the personas' attributes). */
export const DEFAULT_CONTEXT = `{
  "email": "anna@example.de",
  "plan": "pro",
  "seats": 3,
  "address": {
    "country": "DE"
  },
  "platform": "ios",
  "app_version": "17.2.0",
  "signed_up_at": "2026-02-10",
  "beta_optin": false,
  "churned_at": null
}`;

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 },
      mutations: { retry: false },
    },
  });
}

type View = 'segments' | 'populations' | 'personas' | 'remotes';

const VIEW_LABELS: Record<View, string> = {
  segments: 'Segments',
  populations: 'Populations',
  personas: 'Personas',
  remotes: 'Remotes',
};

function Shell() {
  const [view, setView] = useState<View>('segments');
  const [contextText, setContextText] = useState(DEFAULT_CONTEXT);
  const ws = useWorkspace();

  return (
    <div className="app">
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">◐</span> Segment Studio
        </span>
        <nav className="main-nav" aria-label="Main">
          {(Object.keys(VIEW_LABELS) as View[]).map((v) => (
            <button
              key={v}
              type="button"
              className={`nav-item${view === v ? ' is-active' : ''}`}
              aria-current={view === v ? 'page' : undefined}
              // The e2e tests find controls by [aria-label]; "Segments" stays the list's alone (start-up waits for it).
              aria-label={v === 'remotes' || v === 'populations' ? VIEW_LABELS[v] : undefined}
              onClick={() => setView(v)}
            >
              {VIEW_LABELS[v]}
            </button>
          ))}
        </nav>
        <div className="topbar-actions">
          <ImportExportButtons onImported={(r) => void ws.afterImport(r)} />
        </div>
      </header>
      <Workspace
        ws={ws}
        active={view === 'segments'}
        onActivate={() => setView('segments')}
        contextText={contextText}
        onContextText={setContextText}
      />
      {view === 'populations' && <PopulationsPage />}
      {view === 'personas' && (
        <PersonasPage
          onUse={(text) => {
            setContextText(text);
            setView('segments');
          }}
        />
      )}
      <RemotesPage hidden={view !== 'remotes'} onLocalChanges={(keys) => void ws.reloadIfClean(keys)} />
    </div>
  );
}

export function App({ backend, queryClient }: { backend: Backend; queryClient?: QueryClient }) {
  const [client] = useState(() => queryClient ?? createQueryClient());
  return (
    <BackendContext value={backend}>
      <QueryClientProvider client={client}>
        <ToastProvider>
          <ConfirmProvider>
            <PopulationSelectionProvider>
              <SqlChoiceProvider>
                <Shell />
              </SqlChoiceProvider>
            </PopulationSelectionProvider>
          </ConfirmProvider>
        </ToastProvider>
      </QueryClientProvider>
    </BackendContext>
  );
}
