import { createContext, useCallback, useContext, useState } from 'react';
import type { ReactNode } from 'react';

/** Where the chosen population is remembered between launches. */
const STORAGE_KEY = 'segment-studio.population';

type Selection = { populationId: string | null; choose: (id: string | null) => void };

const SelectionContext = createContext<Selection | null>(null);

function stored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * The population the app measures against: chosen on the Populations page or in the editor's
 * audience strip, the same one in both, and remembered in localStorage.
 */
export function PopulationSelectionProvider({ children }: { children: ReactNode }) {
  const [populationId, setPopulationId] = useState<string | null>(stored);
  const choose = useCallback((id: string | null) => {
    setPopulationId(id);
    try {
      if (id === null) globalThis.localStorage?.removeItem(STORAGE_KEY);
      else globalThis.localStorage?.setItem(STORAGE_KEY, id);
    } catch {
      // a browser without storage only forgets the choice on reload
    }
  }, []);
  return <SelectionContext value={{ populationId, choose }}>{children}</SelectionContext>;
}

export function usePopulationSelection(): Selection {
  const selection = useContext(SelectionContext);
  if (!selection) throw new Error('usePopulationSelection() must be used inside <PopulationSelectionProvider>');
  return selection;
}
