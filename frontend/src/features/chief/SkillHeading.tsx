import { useParams } from 'react-router';

import { PageTitle } from '@/components/PageTitle';
import { useLocale } from '@/lib/locale';
import { useSkills } from '@/lib/api/queries';

/** "<title> · 17 Web Technologies" for the chief expert's screens of one skill. */
export function SkillHeading({ title }: { title: string }) {
  const { eventId = '', skillId = '' } = useParams();
  const { locale } = useLocale();
  const skill = useSkills(eventId).data?.find((s) => s.id === skillId);
  const name = skill === undefined ? '' : ` · ${skill.number} ${locale === 'en' ? skill.name_en : skill.name_zh}`;
  return <PageTitle>{`${title}${name}`}</PageTitle>;
}
