import { Navigate, Route, Routes } from 'react-router';

import { AnalyticsPage } from './AnalyticsPage';
import { DrawPage } from './DrawPage';
import { GroupsPage } from './GroupsPage';
import { ProgressPage } from './ProgressPage';
import { SchemePage } from './SchemePage';

/** The chief expert's desktop screens for one skill (`/events/:eventId/skills/:skillId/…`). */
export function ChiefRoutes() {
  return (
    <Routes>
      <Route path="progress" element={<ProgressPage />} />
      <Route path="scheme" element={<SchemePage />} />
      <Route path="groups" element={<GroupsPage />} />
      <Route path="draw" element={<DrawPage />} />
      <Route path="analytics" element={<AnalyticsPage />} />
      <Route path="*" element={<Navigate to="progress" replace />} />
    </Routes>
  );
}
