import * as Ariakit from '@ariakit/react';
import { useQuery } from '@tanstack/react-query';
import { useDeferredValue, useMemo, useState } from 'react';
import type { Objective } from '../lib/contract';
import { openObjectivesQuery, type Transport } from './queries';

export interface PickedObjective {
  objective: Objective;
  keyResultId: string | null;
}

interface Option {
  value: string;
  objective: Objective;
  keyResultId: string | null;
  label: string;
  detail: string;
}

/** A searchable, keyboard-operable list of the open objectives and their key results (Ariakit combobox). */
export function ObjectivePicker({
  transport,
  exclude,
  onPick,
}: {
  transport: Transport;
  exclude: Set<string>;
  onPick: (picked: PickedObjective) => void;
}) {
  const objectives = useQuery(openObjectivesQuery(transport));
  const [search, setSearch] = useState('');
  const deferred = useDeferredValue(search);

  const options = useMemo(() => {
    const all: Option[] = (objectives.data?.objectives ?? [])
      .filter((o) => !exclude.has(o.id))
      .flatMap((objective) => [
        {
          value: objective.id,
          objective,
          keyResultId: null,
          label: objective.title,
          detail: [objective.team?.name, objective.period.name].filter(Boolean).join(' · '),
        },
        ...objective.keyResults.map((kr) => ({
          value: `${objective.id}/${kr.id}`,
          objective,
          keyResultId: kr.id,
          label: kr.title,
          detail: `Key result of ${objective.title}`,
        })),
      ]);
    const words = deferred.toLowerCase().split(/\s+/).filter(Boolean);
    return all.filter((option) => words.every((w) => `${option.label} ${option.detail}`.toLowerCase().includes(w)));
  }, [objectives.data, exclude, deferred]);

  return (
    <div className="picker">
      <Ariakit.ComboboxProvider value={search} setValue={setSearch} open>
        <Ariakit.ComboboxLabel className="picker-label">Link to an objective or key result</Ariakit.ComboboxLabel>
        <Ariakit.Combobox className="picker-input" placeholder="Search objectives…" autoSelect autoFocus />
        <Ariakit.ComboboxList className="picker-list" aria-busy={objectives.isPending}>
          {objectives.isPending && <div className="picker-empty">Loading objectives…</div>}
          {objectives.isError && (
            <div className="picker-empty">Could not load objectives: {objectives.error.message}</div>
          )}
          {objectives.isSuccess && options.length === 0 && (
            <div className="picker-empty">No open objective matches.</div>
          )}
          {options.map((option) => (
            <Ariakit.ComboboxItem
              key={option.value}
              value={option.value}
              className={option.keyResultId ? 'picker-item picker-item-kr' : 'picker-item'}
              onClick={() => onPick({ objective: option.objective, keyResultId: option.keyResultId })}
            >
              <span className="picker-item-label">{option.label}</span>
              <span className="picker-item-detail">{option.detail}</span>
            </Ariakit.ComboboxItem>
          ))}
        </Ariakit.ComboboxList>
      </Ariakit.ComboboxProvider>
    </div>
  );
}
