import { createContext, useCallback, useContext, useState } from 'react';
import type { ReactNode } from 'react';
import type { WarehouseDialect } from '../../lib/backend/bindings';
import { isWarehouseDialect } from './dialects';

/** Where the chosen dialect and table are remembered between launches. */
const STORAGE_KEY = 'segment-studio.sql';

export const DEFAULT_TABLE = 'users';

export type SqlChoice = { dialect: WarehouseDialect; table: string };

type Choice = SqlChoice & { choose: (change: Partial<SqlChoice>) => void };

const ChoiceContext = createContext<Choice | null>(null);

function stored(): SqlChoice {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(STORAGE_KEY) ?? 'null') as Partial<SqlChoice> | null;
    return {
      dialect: isWarehouseDialect(saved?.dialect) ? saved.dialect : 'postgres',
      table: typeof saved?.table === 'string' ? saved.table : DEFAULT_TABLE,
    };
  } catch {
    return { dialect: 'postgres', table: DEFAULT_TABLE };
  }
}

/**
 * The dialect and table "Copy SQL" writes for: the same for every segment (one warehouse
 * holds them all), kept while switching segments and tabs, and remembered in localStorage.
 */
export function SqlChoiceProvider({ children }: { children: ReactNode }) {
  const [choice, setChoice] = useState<SqlChoice>(stored);
  const choose = useCallback((change: Partial<SqlChoice>) => {
    setChoice((current) => {
      const next = { ...current, ...change };
      try {
        globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify(next));
      } catch {
        // a browser without storage only forgets the choice on reload
      }
      return next;
    });
  }, []);
  return <ChoiceContext value={{ ...choice, choose }}>{children}</ChoiceContext>;
}

export function useSqlChoice(): Choice {
  const choice = useContext(ChoiceContext);
  if (!choice) throw new Error('useSqlChoice() must be used inside <SqlChoiceProvider>');
  return choice;
}
