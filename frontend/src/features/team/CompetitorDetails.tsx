import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { useLocale } from '@/lib/locale';
import { ProblemAlert } from '@/components/ProblemAlert';
import { TextField } from '@/components/TextField';
import { useForm } from '@/components/forms';
import { problemOf, ProblemError, unwrap } from '@/lib/api/client';
import { queryKeys, useApi, type Competitor, type Entry, type Event, type Skill } from '@/lib/api/queries';
import type { Problem } from '@/lib/problem';

import { competitorBody, CompetitorFields } from './CompetitorFields';
import { eligibility } from './eligibility';
import { checkPhoto, MAX_PHOTO_BYTES } from './photo';

const entryKey = (entryId: string) => ['entries', entryId] as const;
const photoKey = (competitorId: string) => ['competitors', competitorId, 'photo'] as const;

interface CompetitorDetailsProps {
  event: Event;
  entry: Entry;
  skill: Skill;
  competitorId: string;
  onClose: () => void;
}

/**
 * One competitor of the team leader's delegation: correct the details (with the eligibility
 * shown before saving), the photo, and an account for the competitor portal. The entry is read
 * on its own because lists carry masked ID numbers and only the single entry has the full one.
 */
export function CompetitorDetails({ event, entry, skill, competitorId, onClose }: CompetitorDetailsProps) {
  const { t } = useTranslation('team');
  const client = useApi();
  const headingId = useId();
  const full = useQuery({
    queryKey: entryKey(entry.id),
    queryFn: () => unwrap(client.GET('/api/v1/entries/{id}', { params: { path: { id: entry.id } } })),
  });
  const competitor = full.data?.competitors.find((c) => c.id === competitorId);
  return (
    <section className="competitor-details" aria-labelledby={headingId}>
      <div className="competitor-details-head">
        <h3 id={headingId}>{t('detailsOf', { name: competitor?.name ?? '' })}</h3>
        <button type="button" className="button button-secondary button-small" onClick={onClose}>
          {t('closeDetails')}
        </button>
      </div>
      {full.isError && <ProblemAlert problem={problemOf(full.error)} />}
      {full.isPending && (
        <p role="status" className="muted">
          {t('loadingDetails')}
        </p>
      )}
      {competitor !== undefined && (
        <div className="competitor-details-body">
          <PhotoPanel competitor={competitor} editable={entry.status !== 'withdrawn'} />
          <div>
            {/* A new version (saved here or reloaded after a conflict) starts the form afresh. */}
            <CorrectionForm key={competitor.version} event={event} entry={entry} skill={skill} competitor={competitor} />
            <AccountForm competitor={competitor} entryId={entry.id} />
          </div>
        </div>
      )}
    </section>
  );
}

function CorrectionForm({ event, entry, skill, competitor }: { event: Event; entry: Entry; skill: Skill; competitor: Competitor }) {
  const { t } = useTranslation('team');
  const client = useApi();
  const queryClient = useQueryClient();
  const [saved, setSaved] = useState(false);
  const form = useForm({
    name: competitor.name,
    gender: competitor.gender,
    birth_date: competitor.birth_date ?? '',
    id_number: competitor.id_number,
  });
  const check = eligibility(form.values.birth_date, event.c1_date, skill.age_limit);
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: entryKey(entry.id) }),
      queryClient.invalidateQueries({ queryKey: queryKeys.allEntries(event.id) }),
    ]);
  const save = useMutation({
    mutationFn: () =>
      unwrap(
        client.PUT('/api/v1/competitors/{id}', {
          params: { path: { id: competitor.id } },
          body: { ...competitorBody(form.values), version: competitor.version },
        }),
      ),
    onSuccess: () => {
      setSaved(true);
      void refresh();
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  const conflict = form.problem?.code === 'version_conflict';
  return (
    <form
      className="form"
      noValidate
      aria-label={t('correctCompetitor', { name: competitor.name })}
      onSubmit={(e) => {
        e.preventDefault();
        form.setProblem(null);
        setSaved(false);
        if (check.state === 'too_old') return;
        save.mutate();
      }}
    >
      <h4>{t('correctDetails')}</h4>
      {/* A conflict gets its own message with the way out, instead of the generic one. */}
      {conflict ? (
        <div className="notice notice-error" role="alert">
          <p>{t('competitorConflict')}</p>
          <button type="button" className="button button-secondary button-small" onClick={() => void refresh()}>
            {t('loadCurrent')}
          </button>
        </div>
      ) : (
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
      )}
      <CompetitorFields
        bind={form.bind}
        event={event}
        skill={skill}
        check={check}
        status={saved && !save.isPending && <span className="ok"> {t('competitorSaved')}</span>}
      />
      <div className="form-actions">
        <button type="submit" className="button" aria-disabled={save.isPending || check.state === 'too_old'}>
          {save.isPending ? t('saving') : t('saveCompetitor')}
        </button>
      </div>
    </form>
  );
}

function PhotoPanel({ competitor, editable }: { competitor: Competitor; editable: boolean }) {
  const { t } = useTranslation('team');
  const client = useApi();
  const queryClient = useQueryClient();
  const inputId = useId();
  const [problem, setProblem] = useState<Problem | null>(null);
  const [refusal, setRefusal] = useState<PhotoRefused['reason'] | null>(null);
  const [inputKey, setInputKey] = useState(0);
  // The list says whether there is a photo; after an upload there is one.
  const [uploaded, setUploaded] = useState(false);
  const hasPhoto = competitor.has_photo || uploaded;
  // The photo needs the bearer token, so an <img src> cannot load it: fetch it as a blob and
  // show it as a data: URL (the server's Content-Security-Policy allows data: images, not blob:).
  const photo = useQuery({
    queryKey: photoKey(competitor.id),
    enabled: hasPhoto,
    queryFn: async (): Promise<string | null> => {
      try {
        const blob = await unwrap(
          client.GET('/api/v1/competitors/{id}/photo', { params: { path: { id: competitor.id } }, parseAs: 'blob' }),
        );
        return await dataUrlOf(blob);
      } catch (error) {
        if (error instanceof ProblemError && error.problem.status === 404) return null;
        throw error;
      }
    },
  });
  const url = hasPhoto ? (photo.data ?? null) : null;
  const upload = useMutation({
    mutationFn: async (file: File) => {
      const check = checkPhoto(file.size, new Uint8Array(await file.slice(0, 8).arrayBuffer()));
      if (!check.ok) throw new PhotoRefused(check.reason);
      return unwrap(
        client.PUT('/api/v1/competitors/{id}/photo', {
          params: { path: { id: competitor.id } },
          // The schema types the body as bytes; the browser sends the File as it is.
          body: file as unknown as number[],
          bodySerializer: (body) => body,
          headers: { 'Content-Type': check.type },
        }),
      );
    },
    onSuccess: () => {
      setInputKey((k) => k + 1);
      setUploaded(true);
      void queryClient.invalidateQueries({ queryKey: photoKey(competitor.id) });
    },
    onError: (error) => {
      setInputKey((k) => k + 1);
      if (error instanceof PhotoRefused) {
        setProblem(null);
        setRefusal(error.reason);
      } else {
        setProblem(problemOf(error));
      }
    },
  });
  return (
    <div className="competitor-photo">
      {url !== null ? (
        <img src={url} alt={t('photoOf', { name: competitor.name })} width={120} height={160} />
      ) : (
        <div className="photo-placeholder" role="img" aria-label={t('noPhoto')}>
          {photo.isFetching ? '…' : t('noPhoto')}
        </div>
      )}
      {editable && (
        <div className="field">
          <label className="field-label" htmlFor={inputId}>
            {url === null ? t('uploadPhoto') : t('replacePhoto')}
          </label>
          <p className="field-hint" id={`${inputId}-hint`}>
            {t('photoRule', { mib: MAX_PHOTO_BYTES / 1024 / 1024 })}
          </p>
          <input
            key={inputKey}
            id={inputId}
            className="field-input"
            type="file"
            accept="image/jpeg,image/png"
            aria-describedby={`${inputId}-hint`}
            onChange={(e) => {
              const file = e.target.files?.[0];
              setProblem(null);
              setRefusal(null);
              if (file !== undefined) upload.mutate(file);
            }}
          />
          <p role="status" className="muted">
            {upload.isPending ? t('uploadingPhoto') : ''}
          </p>
          {refusal !== null && <p className="field-error">{t(`photoRefused_${refusal}`)}</p>}
          <ProblemAlert problem={problem} />
        </div>
      )}
    </div>
  );
}

class PhotoRefused extends Error {
  readonly reason: 'too_large' | 'wrong_type' | 'empty';
  constructor(reason: 'too_large' | 'wrong_type' | 'empty') {
    super(reason);
    this.reason = reason;
  }
}

function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('the photo could not be read'));
    reader.readAsDataURL(blob);
  });
}

function AccountForm({ competitor, entryId }: { competitor: Competitor; entryId: string }) {
  const { t } = useTranslation('team');
  const { locale } = useLocale();
  const client = useApi();
  const queryClient = useQueryClient();
  const form = useForm({ email: '' });
  const [done, setDone] = useState<{ email: string; invited: boolean } | null>(null);
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        client.POST('/api/v1/competitors/{id}/account', {
          params: { path: { id: competitor.id } },
          body: { email: form.values.email.trim(), locale: locale === 'en' ? 'en' : 'zh-CN' },
        }),
      ),
    onSuccess: (result) => {
      setDone({ email: form.values.email.trim(), invited: result.invitation_sent });
      form.reset();
      // The competitor's version moved on: the correction form must use the new one.
      void queryClient.invalidateQueries({ queryKey: entryKey(entryId) });
    },
    onError: (error) => form.setProblem(problemOf(error)),
  });
  // Told by the list (or by the server's refusal), unless this form just gave the account.
  const exists = form.problem?.code === 'account_exists' || (competitor.has_account && done === null);
  return (
    <form
      className="form"
      noValidate
      aria-label={t('portalAccountFor', { name: competitor.name })}
      onSubmit={(e) => {
        e.preventDefault();
        form.setProblem(null);
        setDone(null);
        invite.mutate();
      }}
    >
      <h4>{t('portalAccount')}</h4>
      <p className="muted">{t('portalAccountText')}</p>
      {exists ? (
        <p className="notice" role="alert">
          {t('accountExists', { name: competitor.name })}
        </p>
      ) : (
        <ProblemAlert problem={form.problem} otherErrors={form.otherErrors} />
      )}
      {done !== null && (
        <p className="notice notice-success" role="status">
          {done.invited ? t('accountInvited', { email: done.email }) : t('accountLinked', { email: done.email })}
        </p>
      )}
      <TextField label={t('email')} type="email" required autoComplete="off" {...form.bind('email')} />
      <div className="form-actions">
        <button type="submit" className="button button-secondary" aria-disabled={invite.isPending}>
          {invite.isPending ? t('saving') : t('giveAccount')}
        </button>
      </div>
    </form>
  );
}
