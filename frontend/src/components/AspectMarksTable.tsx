import type { components } from '@/api/schema';

type AspectLine = components['schemas']['AspectLine'];

/** Column headings, in the caller's language and words. */
export interface AspectColumns {
  key: string;
  description: string;
  mark: string;
  max: string;
  judges: string;
}

/**
 * An entry's published result aspect by aspect: the mark against its maximum and, for judgement,
 * the judges' 0–3 scores (unnamed). Shown to the competitor and to their team leader.
 */
export function AspectMarksTable({
  aspects,
  columns,
  className,
  formatMark = (raw) => raw,
  formatScore = String,
}: {
  aspects: readonly AspectLine[];
  columns: AspectColumns;
  className?: string;
  /** How a mark ("2.50") is shown; as sent by default. */
  formatMark?: (raw: string) => string;
  formatScore?: (score: number) => string;
}) {
  return (
    <table className={className}>
      <thead>
        <tr>
          <th scope="col">{columns.key}</th>
          <th scope="col">{columns.description}</th>
          <th scope="col" className="num">
            {columns.mark}
          </th>
          <th scope="col" className="num">
            {columns.max}
          </th>
          <th scope="col">{columns.judges}</th>
        </tr>
      </thead>
      <tbody>
        {aspects.map((a) => (
          <tr key={a.key}>
            <th scope="row">{a.key}</th>
            <td>{a.description}</td>
            <td className="num">{formatMark(a.mark)}</td>
            <td className="num">{formatMark(a.max)}</td>
            <td>{a.judge_scores.length === 0 ? '—' : a.judge_scores.map(formatScore).join(' · ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
