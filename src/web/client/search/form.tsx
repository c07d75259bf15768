/**
 * The search form: the one box (name or position) and the filters. Edits stay in the form until
 * submitted; submitting writes them into the URL, which the results read.
 */
import { useEffect, useState } from 'preact/hooks';
import { KIND_LABELS, KINDS, type Kind, type SearchState } from './state';
import { DEFAULT_RADIUS_ARCMIN } from './query';
import type { ReleaseOption } from './graphql';

interface Props {
  applied: SearchState;
  releases: ReleaseOption[];
  onSubmit(s: SearchState): void;
}

export function SearchForm({ applied, releases, onSubmit }: Props) {
  const [draft, setDraft] = useState(applied);
  // Back/forward or a followed link changes the applied search: show it in the form.
  useEffect(() => setDraft(applied), [JSON.stringify(applied)]);
  const set = <K extends keyof SearchState>(k: K, v: SearchState[K]) => setDraft((d) => ({ ...d, [k]: v }));
  const surveys = [...new Set(releases.map((r) => r.survey.name))].sort();
  const dataValue = draft.release ? `r:${draft.release}` : draft.survey ? `s:${draft.survey}` : '';
  const active = [applied.survey || applied.release, applied.kinds.length, applied.product, applied.wmin || applied.wmax, applied.from || applied.to].filter(
    Boolean,
  ).length;
  // Open on a wide screen or when a filter is set; on a phone the results come first.
  const [filtersOpen] = useState(() => active > 0 || window.innerWidth > 700);
  const toggleKind = (k: Kind, on: boolean) => set('kinds', on ? KINDS.filter((x) => x === k || draft.kinds.includes(x)) : draft.kinds.filter((x) => x !== k));

  return (
    <form
      role="search"
      class="search-form"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit({ ...draft, after: '' });
      }}
    >
      <div class="search-box">
        <label for="search-q">Name or position</label>
        <div class="search-row">
          <input
            id="search-q"
            type="search"
            value={draft.q}
            onInput={(e) => set('q', e.currentTarget.value)}
            placeholder={`NGC 1068  ·  40.6696 -0.0133  ·  02:42:40.7 -00:00:47.8 2′`}
            aria-describedby="search-help"
            autocomplete="off"
            spellcheck={false}
          />
          <button type="submit">Search</button>
        </div>
        <p id="search-help" class="help">
          A source name, or RA Dec in degrees or sexagesimal (RA in hours: <code>02:42:40.7</code> or <code>2h42m40.7s</code>), optionally followed by a search
          radius in arcminutes (default {DEFAULT_RADIUS_ARCMIN}′; write <code>30"</code> or <code>0.5d</code> for other units).
        </p>
      </div>
      <details class="filters-box" open={filtersOpen}>
        <summary>Filters{active > 0 && <span class="badge">{active} set</span>}</summary>
        <fieldset class="filters">
          <legend class="visually-hidden">Filters</legend>
          <div class="filter">
            <label for="search-data">Survey or release</label>
            <select
              id="search-data"
              value={dataValue}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setDraft((d) => ({
                  ...d,
                  survey: v.startsWith('s:') ? v.slice(2) : '',
                  release: v.startsWith('r:') ? v.slice(2) : '',
                }));
              }}
            >
              <option value="">All</option>
              {surveys.map((s) => (
                <optgroup key={s} label={s}>
                  <option value={`s:${s}`}>{s}: every release</option>
                  {releases
                    .filter((r) => r.survey.name === s)
                    .map((r) => (
                      <option key={r.id} value={`r:${r.id}`}>
                        {s} {r.name}
                        {r.published ? '' : ' (draft)'}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </div>
          <fieldset class="filter kinds">
            <legend>Product</legend>
            {KINDS.map((k) => (
              <label key={k} class="check">
                <input type="checkbox" checked={draft.kinds.includes(k)} onChange={(e) => toggleKind(k, e.currentTarget.checked)} /> {KIND_LABELS[k]}
              </label>
            ))}
          </fieldset>
          <div class="filter">
            <label for="search-product">Product type</label>
            <input
              id="search-product"
              type="text"
              value={draft.product}
              onInput={(e) => set('product', e.currentTarget.value)}
              placeholder="exact, e.g. galah-spectrum"
              size={18}
            />
          </div>
          <RangeField
            legend="Wavelength (nm)"
            from={{ key: 'wmin', label: 'Shortest wavelength, nm', placeholder: 'from' }}
            to={{ key: 'wmax', label: 'Longest wavelength, nm', placeholder: 'to' }}
            type="text"
            draft={draft}
            set={set}
          />
          <RangeField
            legend="Observed (UTC dates)"
            from={{ key: 'from', label: 'Observed from' }}
            to={{ key: 'to', label: 'Observed until' }}
            type="date"
            draft={draft}
            set={set}
          />
          <div class="filter filter-apply">
            <button type="submit" class="button-quiet">
              Apply filters
            </button>
          </div>
        </fieldset>
      </details>
    </form>
  );
}

type RangeKey = 'wmin' | 'wmax' | 'from' | 'to';

/** Two inputs for the ends of a range under one legend, each with its own (visually hidden) label. */
function RangeField(p: {
  legend: string;
  from: { key: RangeKey; label: string; placeholder?: string };
  to: { key: RangeKey; label: string; placeholder?: string };
  type: 'text' | 'date';
  draft: SearchState;
  set(k: RangeKey, v: string): void;
}) {
  const input = (end: { key: RangeKey; label: string; placeholder?: string }) => (
    <>
      <label for={`search-${end.key}`} class="visually-hidden">
        {end.label}
      </label>
      <input
        id={`search-${end.key}`}
        {...(p.type === 'text' ? ({ type: 'text', inputMode: 'decimal', size: 6 } as const) : ({ type: 'date' } as const))}
        value={p.draft[end.key]}
        onInput={(e) => p.set(end.key, e.currentTarget.value)}
        placeholder={end.placeholder}
      />
    </>
  );
  return (
    <fieldset class="filter range">
      <legend>{p.legend}</legend>
      {input(p.from)}
      <span aria-hidden="true">–</span>
      {input(p.to)}
    </fieldset>
  );
}
