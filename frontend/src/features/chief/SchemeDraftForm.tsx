import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

import {
  addAspect,
  addCriterion,
  addSub,
  aspectPath,
  marksListText,
  marksText,
  moveAspect,
  moveCriterion,
  moveSub,
  parseMarks,
  parseMarksList,
  remainingHundredths,
  removeAspect,
  removeCriterion,
  removeSub,
  renameCriterion,
  totalHundredths,
  updateAspect,
  updateCriterionName,
  updateSub,
  withMeasurement,
  withType,
  type Aspect,
  type MeasurementKind,
  type Scheme,
} from './scheme';

interface SchemeDraftFormProps {
  draft: Scheme;
  onChange: (next: Scheme) => void;
  /** Typed amounts that do not read as marks yet (the draft keeps its last good value). */
  onTextsValid: (valid: boolean) => void;
  /** The problems at a path (`A`, `A/A1`, `A/A1/2`), already rendered. */
  problemsAt: (path: string) => ReactNode;
}

/**
 * The draft scheme, edited in place: criteria, sub-criteria and aspects can be added, removed
 * and moved; each aspect's type (M: pass/fail, stepped, deduction; J with its four descriptors),
 * day and max. The running total against 100.00 stays in view.
 */
export function SchemeDraftForm({ draft, onChange, onTextsValid, problemsAt }: SchemeDraftFormProps) {
  const { t } = useTranslation('chief');
  // Amounts as typed, keyed by field and position; positions move on structural changes, so
  // those clear them (the draft already holds the last amount that read correctly).
  const [texts, setTexts] = useState<Record<string, string>>({});
  const setText = (key: string, value: string, ok: boolean, apply: () => void) => {
    const next = { ...texts, [key]: value };
    setTexts(next);
    onTextsValid(Object.entries(next).every(([k, v]) => (k.startsWith('allowed:') ? parseMarksList(v) : parseMarks(v)) !== null));
    if (ok) apply();
  };
  const restructure = (next: Scheme) => {
    setTexts({});
    onTextsValid(true);
    onChange(next);
  };
  const remaining = remainingHundredths(draft);
  const total = totalHundredths(draft);

  const moveButtons = (label: string, index: number, count: number, moveBy: (delta: number) => void, remove: () => void, removeLabel: string) => (
    <span className="scheme-edit-actions">
      <button type="button" className="button button-secondary button-small" aria-label={t('moveUp', { item: label })} aria-disabled={index === 0} onClick={() => index > 0 && moveBy(-1)}>
        ↑
      </button>
      <button
        type="button"
        className="button button-secondary button-small"
        aria-label={t('moveDown', { item: label })}
        aria-disabled={index === count - 1}
        onClick={() => index < count - 1 && moveBy(1)}
      >
        ↓
      </button>
      <button type="button" className="button button-secondary button-small" aria-label={removeLabel} onClick={remove}>
        {t('remove')}
      </button>
    </span>
  );

  return (
    <div className="scheme-editor">
      <p className={remaining === 0 ? 'scheme-running-total ok' : 'scheme-running-total'} aria-live="polite">
        {t('schemeTotal', { total: marksText(total) })} ·{' '}
        {remaining === 0 ? t('totalComplete') : remaining > 0 ? t('totalLeft', { left: marksText(remaining) }) : t('totalOver', { over: marksText(-remaining) })}
      </p>
      {draft.criteria.map((c, ci) => {
        const subtotal = c.sub_criteria.reduce((n, s) => n + s.aspects.reduce((m, a) => m + a.max, 0), 0);
        return (
          <fieldset key={ci} className="scheme-criterion-edit">
            <legend>
              {t('criterion')} {c.id} <span className="muted">· {marksText(subtotal)}</span>
            </legend>
            <IdNameRow
              idLabel={t('criterionId', { id: c.id })}
              id={c.id}
              idMaxLength={2}
              onId={(id) => restructure(renameCriterion(draft, ci, id))}
              nameLabel={`${t('criterion')} ${c.id}`}
              name={c.name}
              onName={(name) => onChange(updateCriterionName(draft, ci, name))}
            >
              {moveButtons(
                `${t('criterion')} ${c.id}`,
                ci,
                draft.criteria.length,
                (d) => restructure(moveCriterion(draft, ci, d)),
                () => restructure(removeCriterion(draft, ci)),
                t('removeCriterion', { id: c.id }),
              )}
            </IdNameRow>
            {problemsAt(c.id)}
            {c.sub_criteria.map((s, si) => (
              <fieldset key={si} className="scheme-sub-edit">
                <legend>
                  {t('subCriterion')} {s.id}
                </legend>
                <IdNameRow
                  idLabel={t('subCriterionId', { id: s.id })}
                  id={s.id}
                  idMaxLength={5}
                  onId={(id) => restructure(updateSub(draft, ci, si, { id }))}
                  nameLabel={`${t('subCriterion')} ${s.id}`}
                  name={s.name}
                  onName={(name) => onChange(updateSub(draft, ci, si, { name }))}
                >
                  {moveButtons(
                    `${t('subCriterion')} ${s.id}`,
                    si,
                    c.sub_criteria.length,
                    (d) => restructure(moveSub(draft, ci, si, d)),
                    () => restructure(removeSub(draft, ci, si)),
                    t('removeSubCriterion', { id: s.id }),
                  )}
                </IdNameRow>
                {problemsAt(`${c.id}/${s.id}`)}
                <ol className="scheme-aspects">
                  {s.aspects.map((a, ai) => {
                    const key = `${ci}/${si}/${ai}`;
                    const name = `${s.id}.${ai + 1}`;
                    const change = (f: (x: Aspect) => Aspect) => onChange(updateAspect(draft, ci, si, ai, f));
                    const maxText = texts[`max:${key}`] ?? marksText(a.max);
                    return (
                      <li key={ai} className="scheme-aspect-edit" aria-label={`${t('aspect')} ${name}`}>
                        <div className="scheme-edit-row">
                          <span className="scheme-aspect-key">{name}</span>
                          <label className="scheme-name">
                            <span>{t('description')}</span>
                            <input
                              className="field-input"
                              aria-label={`${t('description')} ${name}`}
                              value={a.description}
                              onChange={(e) => change((x) => ({ ...x, description: e.target.value }))}
                            />
                          </label>
                          {moveButtons(
                            `${t('aspect')} ${name}`,
                            ai,
                            s.aspects.length,
                            (d) => restructure(moveAspect(draft, ci, si, ai, d)),
                            () => restructure(removeAspect(draft, ci, si, ai)),
                            t('removeAspect', { id: name }),
                          )}
                        </div>
                        <div className="scheme-edit-row">
                          <label>
                            <span>{t('aspectType')}</span>
                            <select
                              className="field-input"
                              aria-label={`${t('aspectType')} ${name}`}
                              value={a.type}
                              onChange={(e) => restructure(updateAspect(draft, ci, si, ai, (x) => withType(x, e.target.value as Aspect['type'])))}
                            >
                              <option value="measurement">{t('typeLong_measurement')}</option>
                              <option value="judgement">{t('typeLong_judgement')}</option>
                            </select>
                          </label>
                          {a.type === 'measurement' && (
                            <label>
                              <span>{t('measurementKind')}</span>
                              <select
                                className="field-input"
                                aria-label={`${t('measurementKind')} ${name}`}
                                value={a.measurement.kind}
                                onChange={(e) => restructure(updateAspect(draft, ci, si, ai, (x) => withMeasurement(x, e.target.value as MeasurementKind)))}
                              >
                                <option value="pass_fail">{t('kind_pass_fail')}</option>
                                <option value="stepped">{t('kind_stepped')}</option>
                                <option value="deduction">{t('kind_deduction')}</option>
                              </select>
                            </label>
                          )}
                          <label>
                            <span>{t('day')}</span>
                            <select
                              className="field-input"
                              aria-label={`${t('day')} ${name}`}
                              value={a.day}
                              onChange={(e) => change((x) => ({ ...x, day: Number(e.target.value) }))}
                            >
                              {[1, 2, 3, 4].map((d) => (
                                <option key={d} value={d}>
                                  C{d}
                                </option>
                              ))}
                            </select>
                          </label>
                          <label>
                            <span>{t('maxMark')}</span>
                            <input
                              className="field-input marks-input"
                              inputMode="decimal"
                              aria-label={`${t('maxMark')} ${name}`}
                              aria-invalid={parseMarks(maxText) === null ? true : undefined}
                              value={maxText}
                              onChange={(e) => {
                                const parsed = parseMarks(e.target.value);
                                setText(`max:${key}`, e.target.value, parsed !== null, () => change((x) => ({ ...x, max: parsed ?? x.max })));
                              }}
                            />
                          </label>
                          {a.type === 'measurement' && a.measurement.kind === 'stepped' && (
                            <StepsField
                              label={`${t('steppedAmounts')} ${name}`}
                              caption={t('steppedAmounts')}
                              text={texts[`allowed:${key}`] ?? marksListText(a.measurement.allowed)}
                              onText={(value) => {
                                const parsed = parseMarksList(value);
                                setText(`allowed:${key}`, value, parsed !== null, () =>
                                  change((x) => (x.type === 'measurement' ? { ...x, measurement: { kind: 'stepped', allowed: parsed ?? [] } } : x)),
                                );
                              }}
                              hint={t('steppedHint')}
                            />
                          )}
                          {a.type === 'measurement' && a.measurement.kind === 'deduction' && (
                            <label>
                              <span>{t('deductionStep')}</span>
                              <input
                                className="field-input marks-input"
                                inputMode="decimal"
                                aria-label={`${t('deductionStep')} ${name}`}
                                value={texts[`step:${key}`] ?? marksText(a.measurement.step)}
                                aria-invalid={parseMarks(texts[`step:${key}`] ?? '0') === null ? true : undefined}
                                onChange={(e) => {
                                  const parsed = parseMarks(e.target.value);
                                  setText(`step:${key}`, e.target.value, parsed !== null, () =>
                                    change((x) => (x.type === 'measurement' ? { ...x, measurement: { kind: 'deduction', step: parsed ?? 0 } } : x)),
                                  );
                                }}
                              />
                            </label>
                          )}
                        </div>
                        {a.type === 'judgement' && (
                          <div className="scheme-descriptors">
                            {([0, 1, 2, 3] as const).map((score) => (
                              <label key={score}>
                                <span>{t('descriptorScore', { score })}</span>
                                <input
                                  className="field-input"
                                  aria-label={t('descriptorOf', { score, id: name })}
                                  placeholder={t(`descriptorHint_${score}`)}
                                  value={a.descriptors[score] ?? ''}
                                  onChange={(e) =>
                                    change((x) => {
                                      if (x.type !== 'judgement') return x;
                                      const descriptors = [0, 1, 2, 3].map((i) => (i === score ? e.target.value : (x.descriptors[i] ?? '')));
                                      return { ...x, descriptors };
                                    })
                                  }
                                />
                              </label>
                            ))}
                          </div>
                        )}
                        {problemsAt(aspectPath(c.id, s.id, ai))}
                      </li>
                    );
                  })}
                </ol>
                <div className="form-actions">
                  <button type="button" className="button button-secondary button-small" onClick={() => restructure(addAspect(draft, ci, si, 'measurement'))}>
                    {t('addAspectM', { id: s.id })}
                  </button>
                  <button type="button" className="button button-secondary button-small" onClick={() => restructure(addAspect(draft, ci, si, 'judgement'))}>
                    {t('addAspectJ', { id: s.id })}
                  </button>
                </div>
              </fieldset>
            ))}
            <div className="form-actions">
              <button type="button" className="button button-secondary button-small" onClick={() => restructure(addSub(draft, ci))}>
                {t('addSubCriterion', { id: c.id })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <div className="form-actions">
        <button type="button" className="button button-secondary" onClick={() => restructure(addCriterion(draft))}>
          {t('addCriterion')}
        </button>
      </div>
    </div>
  );
}

function StepsField({ label, caption, text, onText, hint }: { label: string; caption: string; text: string; onText: (v: string) => void; hint: string }) {
  return (
    <label className="scheme-steps">
      <span>{caption}</span>
      <input
        className="field-input"
        inputMode="decimal"
        aria-label={label}
        title={hint}
        aria-invalid={parseMarksList(text) === null ? true : undefined}
        value={text}
        onChange={(e) => onText(e.target.value)}
      />
    </label>
  );
}

interface IdNameRowProps {
  idLabel: string;
  id: string;
  idMaxLength: number;
  onId: (id: string) => void;
  nameLabel: string;
  name: string;
  onName: (name: string) => void;
  /** The row's buttons. */
  children: ReactNode;
}

/** A criterion's or sub-criterion's id (typed in capitals) and name, with its buttons. */
function IdNameRow({ idLabel, id, idMaxLength, onId, nameLabel, name, onName, children }: IdNameRowProps) {
  const { t } = useTranslation('chief');
  return (
    <div className="scheme-edit-row">
      <label className="scheme-id">
        <span>{t('idLabel')}</span>
        <input className="field-input" aria-label={idLabel} value={id} maxLength={idMaxLength} onChange={(e) => onId(e.target.value.toUpperCase())} />
      </label>
      <label className="scheme-name">
        <span>{t('name')}</span>
        <input className="field-input" aria-label={nameLabel} value={name} onChange={(e) => onName(e.target.value)} />
      </label>
      {children}
    </div>
  );
}
