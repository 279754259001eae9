/** The chief expert on the workshop floor: the skill's progress per entry, and locking with one tap. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';

import { useLocale } from '@/app/locale';
import { cellState, sortByWorkstation } from '@/features/chief/progress';
import { problemOf, unwrap, useApi } from '@/lib/api/client';

import { useMarkingSession } from './MarkingApp';
import { useSkillEntries } from './data';
import { entryLabel } from './EntryList';

export function ChiefFloor() {
  const { t } = useTranslation('marking');
  const { locale } = useLocale();
  const { skillId = '' } = useParams();
  const client = useApi();
  const queryClient = useQueryClient();
  const session = useMarkingSession();
  const context = session.skills.find((s) => s.skill.id === skillId);
  const entries = useSkillEntries(session.me.id, context?.event.id ?? '', skillId);
  const [message, setMessage] = useState('');
  const progress = useQuery({
    queryKey: ['marking', 'progress', skillId],
    queryFn: () => unwrap(client.GET('/api/v1/skills/{id}/progress', { params: { path: { id: skillId } } })),
  });
  const lock = useMutation({
    mutationFn: ({ entryId, sub }: { entryId: string; sub: string; label: string }) =>
      unwrap(client.POST('/api/v1/entries/{id}/locks', { params: { path: { id: entryId } }, body: { sub_criterion: sub } })),
    onSuccess: (_data, { sub, label }) => {
      setMessage(t('lockDone', { sub, entry: label }));
      void queryClient.invalidateQueries({ queryKey: ['marking', 'progress', skillId] });
    },
    onError: (error) => setMessage(problemOf(error).detail),
  });

  if (context === undefined) return <p className="mark-notice">{t('noSkills')}</p>;
  const skillName = `${context.skill.number} ${locale === 'en' ? context.skill.name_en : context.skill.name_zh}`;
  return (
    <section>
      <Link className="mark-back" to={`/mark/${skillId}`}>
        ← {t('back')}
      </Link>
      <h1>{t('floorTitle', { skill: skillName })}</h1>
      {message !== '' && (
        <p className="mark-notice" role="status">
          {message}
        </p>
      )}
      {progress.isPending && <p role="status">{t('loading')}</p>}
      {progress.error !== null && <p className="mark-notice">{problemOf(progress.error).detail}</p>}
      <ul className="mark-entries">
        {sortByWorkstation(progress.data ?? []).map((row) => {
          const entry = entries.data?.find((e) => e.id === row.entry_id);
          const label = entry === undefined ? row.entry_id.slice(0, 8) : entryLabel(entry, t) || row.entry_id.slice(0, 8);
          return (
            <li key={row.entry_id} className="mark-floor-row" data-entry={row.entry_id}>
              <span className="mark-entry-label">{label}</span>
              <div className="mark-floor-subs">
                {row.sub_criteria.map((sub) => {
                  const state = cellState(sub);
                  if (state === 'locked') {
                    return (
                      <span key={sub.sub_criterion} className="mark-badge is-locked">
                        {t('lockedSub', { sub: sub.sub_criterion })}
                      </span>
                    );
                  }
                  if (state === 'ready') {
                    return (
                      <button
                        key={sub.sub_criterion}
                        type="button"
                        className="mark-button mark-button-primary"
                        disabled={lock.isPending}
                        onClick={() => lock.mutate({ entryId: row.entry_id, sub: sub.sub_criterion, label })}
                      >
                        {t('lock', { sub: sub.sub_criterion })}
                      </button>
                    );
                  }
                  return (
                    <span key={sub.sub_criterion} className={`mark-badge ${state === 'out_of_spread' ? 'is-conflict' : 'is-draft'}`}>
                      {state === 'out_of_spread'
                        ? t('subSpread', { sub: sub.sub_criterion })
                        : t('subMissing', { sub: sub.sub_criterion, n: sub.missing.length })}
                    </span>
                  );
                })}
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
