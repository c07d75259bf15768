/**
 * A record's page (/records/:id): what the file is (facts, release, checksum), what to do with
 * it (download, DataLink, search around it), then what is in it: the spectrum plotted or the
 * image's preview, catalogue tables, validation issues by severity, HDUs with their header
 * cards, and the source's other records.
 */
import { Fragment, type ComponentChildren } from 'preact';
import { useQuery } from '../api';
import { CatalogueTable } from '../components/catalogue-table';
import { HeaderCards } from '../components/header-cards';
import { PreviewImage } from '../components/preview-image';
import { SpectrumPlot } from '../components/spectrum-plot';
import { ErrorNote, formatBytes, Loading, StatusBadge, usePageTitle } from '../components/ui';
import { useToken } from '../auth';
import type { PageProps } from '../router';
import { RECORD_QUERY, SOURCE_RECORDS_QUERY, SPECTRUM_QUERY, type Issue, type RecordData, type SourceRecords, type SpectrumData } from '../record/graphql';
import { formatAngle, formatDec, formatRa, mjdToDate } from '../search/query';
import { searchUrl, readSearch } from '../search/state';

/** The DataLink service's ID for a record (obs_publisher_did; the service reads the record id from it). */
const datalinkId = (id: string) => `ivo://astroarchive.local/astroarchive?${id}`;
const SEVERITIES = ['ERROR', 'WARNING', 'INFO'] as const;

/**
 * A path that wraps after its slashes first: the column breaks long paths anywhere (overflow-wrap),
 * which split names mid-word ("catalogue_0000000.fi" / "ts") where a slash was near.
 */
function pathWithBreaks(path: string) {
  return path.split('/').map((part, i, all) => (i < all.length - 1 ? [part, '/', <wbr key={i} />] : part));
}

function nm(m: number): string {
  // Six significant digits, trailing zeros kept: both ends of a range read alike (472.100 – 476.806).
  return `${(m * 1e9).toLocaleString('en-US', { minimumSignificantDigits: 6, maximumSignificantDigits: 6 })} nm`;
}

function Facts({ r }: { r: RecordData }) {
  const rows: Array<[string, ComponentChildren]> = [
    ['Product', `${r.dataproductType}${r.productType !== r.dataproductType ? ` (${r.productType})` : ''}${r.calibLevel !== null ? `, calibration level ${r.calibLevel}` : ''}`],
    [
      'Release',
      <>
        <a href={`/releases/${r.release.id}`}>
          {r.release.survey.name} {r.release.name}
        </a>{' '}
        <StatusBadge status={r.release.published ? 'published' : 'draft'} />
      </>,
    ],
    ['Target', r.source ? <a href={searchUrl({ ...readSearch(new URLSearchParams()), q: r.source.name })}>{r.source.name}</a> : '—'],
    [
      'Position',
      r.center ? (
        <>
          <span class="mono">
            {formatRa(r.center.ra)} {formatDec(r.center.dec)}
          </span>{' '}
          <span class="note">
            ({r.center.ra.toFixed(5)}°, {r.center.dec.toFixed(5)}°)
          </span>
        </>
      ) : (
        '—'
      ),
    ],
  ];
  if (r.fov !== null) rows.push(['Field of view', formatAngle(r.fov)]);
  if (r.emMin !== null && r.emMax !== null)
    rows.push(['Wavelength', `${nm(r.emMin)} – ${nm(r.emMax)}${r.spectralRange ? ` (file: ${r.spectralRange.min.toPrecision(6)} – ${r.spectralRange.max.toPrecision(6)} ${r.spectralRange.unit})` : ''}`]);
  if (r.tMin !== null) rows.push(['Observed', `${mjdToDate(r.tMin)} (MJD ${r.tMin.toFixed(5)}${r.tMax !== null && r.tMax !== r.tMin ? ` – ${r.tMax.toFixed(5)}` : ''})`]);
  if (r.tExptime !== null) rows.push(['Exposure', `${r.tExptime} s`]);
  if (r.facilityName || r.instrumentName) rows.push(['Telescope / instrument', [r.facilityName, r.instrumentName].filter(Boolean).join(' / ')]);
  rows.push(['File', <code>{pathWithBreaks(r.file.path)}</code>]);
  rows.push(['Size', `${formatBytes(r.file.sizeBytes)} (${r.file.sizeBytes.toLocaleString('en-US')} bytes), ${r.accessFormat}`]);
  rows.push([
    'Status',
    <>
      <StatusBadge status={r.file.status} />
      {r.file.missing && <span class="warning-note"> the file is no longer on disk</span>}
    </>,
  ]);
  if (r.file.checksum) rows.push(['SHA-256', <code class="checksum">{r.file.checksum}</code>]);
  rows.push(['ObsCore obs_id', <code>{pathWithBreaks(r.obsId)}</code>]);
  return (
    <dl class="facts">
      {rows.map(([k, v]) => (
        <Fragment key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

function Issues({ issues }: { issues: Issue[] }) {
  if (issues.length === 0) return <p class="note">No validation issues: the file passed every check.</p>;
  return (
    <>
      {SEVERITIES.map((sev) => {
        const list = issues.filter((i) => i.severity === sev);
        if (!list.length) return null;
        return (
          <section key={sev} class={`issues issues-${sev.toLowerCase()}`} aria-label={`${sev.toLowerCase()}s`}>
            <h3>
              <StatusBadge status={sev} /> {list.length} {sev === 'INFO' ? 'note' : sev.toLowerCase()}
              {list.length === 1 ? '' : 's'}
            </h3>
            <ul>
              {list.map((i, k) => (
                <li key={k}>
                  <code>{i.code}</code> {i.message}
                  <span class="note">
                    {i.hdu !== null ? ` (HDU ${i.hdu}${i.keyword ? `, ${i.keyword}` : ''})` : i.keyword ? ` (${i.keyword})` : ''}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </>
  );
}

function Spectrum({ r }: { r: RecordData }) {
  // Two points (a bin's min and max) per device pixel of the widest the plot can be: the API's
  // min-max thinning keeps the peaks, and no more is fetched than the screen can show.
  const points = Math.min(4000, Math.max(400, Math.round(2 * window.innerWidth * (window.devicePixelRatio || 1))));
  const q = useQuery<{ record: { spectrum: SpectrumData | null } | null }>(SPECTRUM_QUERY, { id: r.id, points });
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading what="the spectrum" />;
  const s = q.data.record?.spectrum;
  if (!s) return <p class="note">This file has no spectrum to plot.</p>;
  return <SpectrumPlot spectrum={s} fileUnit={r.spectralRange?.unit ?? null} title={`Spectrum of ${r.targetName ?? r.file.path}`} />;
}

function OtherRecords({ r }: { r: RecordData }) {
  const name = r.source?.name ?? null;
  const q = useQuery<SourceRecords>(SOURCE_RECORDS_QUERY, name ? { name } : null);
  if (!name) return <p class="note">This record has no source.</p>;
  if (q.error) return <ErrorNote error={q.error} />;
  if (!q.data) return <Loading what="the source's records" />;
  const others = q.data.records.edges.map((e) => e.node).filter((n) => n.id !== r.id);
  if (others.length === 0) return <p class="note">No other records of {name}.</p>;
  const more = q.data.records.totalCount - 1 - Math.min(others.length, 10);
  return (
    <>
      <ul class="other-records" data-testid="other-records">
        {others.slice(0, 10).map((o) => (
          <li key={o.id}>
            <a href={`/records/${o.id}`}>{o.file.path}</a> <span class="note">{o.dataproductType}</span>{' '}
            <span class="note">
              {o.release.survey.name} {o.release.name}
            </span>
          </li>
        ))}
      </ul>
      {more > 0 && (
        <p>
          <a href={searchUrl({ ...readSearch(new URLSearchParams()), q: name })}>All {q.data.records.totalCount} records of {name}</a>
        </p>
      )}
    </>
  );
}

export function RecordPage({ params }: PageProps) {
  const signed = !!useToken();
  const q = useQuery<{ record: RecordData | null }>(RECORD_QUERY, { id: params.id, signed });
  const r = q.data?.record;
  usePageTitle(r ? (r.targetName ?? r.file.path) : `Record ${params.id}`);
  if (q.error) {
    return (
      <>
        <h1 tabIndex={-1}>Record {params.id}</h1>
        <ErrorNote error={q.error} />
      </>
    );
  }
  if (!q.data) {
    return (
      <>
        <h1 tabIndex={-1}>Record {params.id}</h1>
        <Loading what="the record" />
      </>
    );
  }
  if (!r) {
    return (
      <>
        <h1 tabIndex={-1}>Record {params.id}</h1>
        <p>There is no record {params.id}, or it belongs to a release that is not published yet (sign in to see drafts).</p>
      </>
    );
  }
  const download = r.release.published ? r.file.downloadUrl : (r.file.signedDownloadUrl ?? r.file.downloadUrl);
  const fileName = r.file.path.split('/').pop() ?? 'file';
  const issues = r.file.issues;
  const errors = issues.filter((i) => i.severity === 'ERROR').length;
  const hasPreview = r.file.kind === 'IMAGE' || r.file.kind === 'IFS_CUBE';

  return (
    <article class="record">
      <p class="breadcrumb">
        <a href={`/releases/${r.release.id}`}>
          {r.release.survey.name} {r.release.name}
        </a>{' '}
        / <span>{r.file.path}</span>
      </p>
      <h1 tabIndex={-1}>
        {r.targetName ?? fileName} <span class="subtitle">{r.dataproductType}</span>
      </h1>
      <div class="actions">
        <a class="button" href={download} download={fileName} data-testid="download">
          Download {fileName} ({formatBytes(r.file.sizeBytes)})
        </a>
        <a class="button button-quiet" href={`/datalink?ID=${encodeURIComponent(datalinkId(r.id))}`}>
          DataLink
        </a>
        {r.center && (
          <a class="button button-quiet" href={searchUrl({ ...readSearch(new URLSearchParams()), q: `${r.center.ra.toFixed(6)} ${r.center.dec.toFixed(6)} 1` })}>
            Search within 1′
          </a>
        )}
      </div>
      <div class="record-grid">
        <section aria-labelledby="facts-title">
          <h2 id="facts-title">About this file</h2>
          <Facts r={r} />
        </section>
        <section aria-labelledby="look-title" class="record-look">
          <h2 id="look-title">{r.file.kind === 'SPECTRUM' ? 'Spectrum' : hasPreview ? 'Preview' : 'Contents'}</h2>
          {r.file.kind === 'SPECTRUM' && <Spectrum r={r} />}
          {hasPreview && <PreviewImage id={r.id} published={r.release.published} alt={`Preview of ${r.targetName ?? fileName}`} />}
          {r.file.kind === 'CATALOGUE' && (
            <p>
              A catalogue of {r.catalogue ? r.catalogue.rowCount.toLocaleString('en-US') : 'unknown'} rows: its tables are below.
            </p>
          )}
          {r.file.kind === 'BLOB' && <p class="note">A file the archive keeps as it is (no FITS structure to show). Download it to look inside.</p>}
        </section>
      </div>

      {r.catalogue && (
        <section aria-labelledby="tables-title">
          <h2 id="tables-title">Catalogue tables</h2>
          {r.catalogue.tables.length === 0 ? (
            <p class="note">No table loaded yet (tables load after the ingest; a table that could not be loaded is named in the issues).</p>
          ) : (
            r.catalogue.tables.map((t) => <CatalogueTable key={t.id} id={t.id} />)
          )}
        </section>
      )}

      <section aria-labelledby="issues-title">
        <h2 id="issues-title">
          Validation {issues.length > 0 && <span class="note">({errors ? `${errors} error${errors === 1 ? '' : 's'}, ` : ''}{issues.length} in all)</span>}
        </h2>
        <Issues issues={issues} />
      </section>

      {r.file.hdus.length > 0 && (
        <section aria-labelledby="hdus-title">
          <h2 id="hdus-title">HDUs and header cards</h2>
          <HeaderCards fileId={r.file.id} hdus={r.file.hdus} />
        </section>
      )}

      {r.source && (
        <section aria-labelledby="others-title">
          <h2 id="others-title">Other records of {r.source.name}</h2>
          <OtherRecords r={r} />
        </section>
      )}
    </article>
  );
}
