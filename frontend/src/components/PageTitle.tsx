import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';

import { useLocale } from '@/lib/locale';

interface PageTitleProps {
  children: string;
  /** The document title; defaults to "<heading> · Skillmark". */
  documentTitle?: string;
}

/**
 * The page's `<h1>`. It also sets the document title and, after an in-app
 * navigation (not on the first load), moves the keyboard focus to itself so
 * screen-reader users learn that the page changed.
 */
export function PageTitle({ children, documentTitle }: PageTitleProps) {
  const { t } = useLocale();
  const { key } = useLocation();
  const ref = useRef<HTMLHeadingElement>(null);
  const title = documentTitle ?? `${children} · ${t.pageTitleSuffix}`;

  useEffect(() => {
    document.title = title;
  }, [title]);

  useEffect(() => {
    if (key !== 'default') ref.current?.focus();
  }, [key]);

  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}
