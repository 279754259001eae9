import { Navigate, Route, Routes } from 'react-router';

import { ProgressPage } from './ProgressPage';

/** The chief expert's desktop screens for one skill (`/events/:eventId/skills/:skillId/…`). */
export function ChiefRoutes() {
  return (
    <Routes>
      <Route path="progress" element={<ProgressPage />} />
      <Route path="*" element={<Navigate to="progress" replace />} />
    </Routes>
  );
}
