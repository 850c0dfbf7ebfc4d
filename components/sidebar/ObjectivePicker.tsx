import { useQuery } from '@tanstack/react-query';
import { useCombobox } from 'downshift';
import { useDeferredValue, useMemo, useState } from 'react';
import type { Objective } from '../../lib/shared/contract';
import { openObjectivesQuery, useSend } from '../shared/background';

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

const { ItemClick, InputKeyDownEnter, InputChange, InputBlur } = useCombobox.stateChangeTypes;

/**
 * A searchable, keyboard-operable list of the open objectives and their key results (Downshift's
 * combobox: type to filter, arrows to move, Enter or a click to link).
 */
export function ObjectivePicker({
  exclude,
  onPick,
}: {
  exclude: Set<string>;
  onPick: (picked: PickedObjective) => void;
}) {
  const objectives = useQuery(openObjectivesQuery(useSend()));
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

  const { getLabelProps, getInputProps, getMenuProps, getItemProps, highlightedIndex } = useCombobox<Option>({
    items: options,
    itemToString: (option) => option?.label ?? '',
    inputValue: search,
    // The list stays open beside the field; the first match is highlighted, so Enter links it.
    isOpen: true,
    selectedItem: null,
    defaultHighlightedIndex: 0,
    // Leaving the field keeps what was typed and picks nothing (Downshift would pick the highlighted item).
    stateReducer: (state, { type, changes }) =>
      type === InputBlur ? { ...changes, selectedItem: state.selectedItem, inputValue: state.inputValue } : changes,
    onInputValueChange: ({ type, inputValue }) => {
      if (type === InputChange) setSearch(inputValue);
    },
    onStateChange: ({ type, selectedItem }) => {
      if (selectedItem && (type === ItemClick || type === InputKeyDownEnter))
        onPick({ objective: selectedItem.objective, keyResultId: selectedItem.keyResultId });
    },
  });

  return (
    <div className="picker">
      {/* biome-ignore lint/a11y/noLabelWithoutControl: Downshift's label props carry htmlFor. */}
      <label className="picker-label" {...getLabelProps()}>
        Link to an objective or key result
      </label>
      {/* biome-ignore lint/a11y/noAutofocus: the picker opens on the user's click, to be typed into at once. */}
      <input className="picker-input" placeholder="Search objectives…" autoFocus {...getInputProps()} />
      <ul className="picker-list" aria-busy={objectives.isPending} {...getMenuProps()}>
        {options.map((option, index) => (
          <li
            key={option.value}
            // Indented only under its own objective: a key result that matches alone stands apart.
            className={
              option.keyResultId && options[index - 1]?.objective.id === option.objective.id
                ? 'picker-item picker-item-kr'
                : 'picker-item'
            }
            data-highlighted={index === highlightedIndex || undefined}
            {...getItemProps({ item: option, index })}
          >
            <span className="picker-item-label">{option.label}</span>
            <span className="picker-item-detail">{option.detail}</span>
          </li>
        ))}
      </ul>
      <p className="picker-empty" role="status">
        {objectives.isPending && 'Loading objectives…'}
        {objectives.isError && `Could not load objectives: ${objectives.error.message}`}
        {objectives.isSuccess && options.length === 0 && 'No open objective matches.'}
      </p>
    </div>
  );
}
