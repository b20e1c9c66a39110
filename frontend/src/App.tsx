import { lazy, Suspense, useEffect } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { useAuth } from './auth/AuthContext';
import { RequireAuth, RequireMenu, FullScreenLoader, LOGIN_PATH } from './auth/guards';
import { ErrorBoundary } from './components/ErrorBoundary';

// Every page is a separate chunk, loaded on first visit; so is the signed-in layout (menu, header, notification
// bell), which the sign-in page does not need.
const loadAppLayout = () => import('./layout/AppLayout');
const AppLayout = lazy(loadAppLayout);
const LoginPage = lazy(() => import('./pages/LoginPage'));
const HomePage = lazy(() => import('./pages/HomePage'));
const AccountPage = lazy(() => import('./pages/AccountPage'));
const ProductsPage = lazy(() => import('./pages/registry/ProductsPage'));
const ProducersPage = lazy(() => import('./pages/registry/ProducersPage'));
const ImportPage = lazy(() => import('./pages/registry/ImportPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const AgenciesPage = lazy(() => import('./pages/AgenciesPage'));
const AdminUnitsPage = lazy(() => import('./pages/AdminUnitsPage'));
const AuditPage = lazy(() => import('./pages/AuditPage'));
const TemplatesPage = lazy(() => import('./pages/documents/TemplatesPage'));
const CampaignsPage = lazy(() => import('./pages/campaigns/CampaignsPage'));
const CampaignCreatePage = lazy(() => import('./pages/campaigns/CampaignCreatePage'));
const CampaignPage = lazy(() => import('./pages/campaigns/CampaignPage'));
const VisitPage = lazy(() => import('./pages/inspections/VisitPage'));
const MyVisitsPage = lazy(() => import('./pages/inspections/MyVisitsPage'));
const QueuePage = lazy(() => import('./pages/inspections/QueuePage'));
const FindingsPage = lazy(() => import('./pages/inspections/FindingsPage'));
const FindingPage = lazy(() => import('./pages/inspections/FindingPage'));
const CompliancePage = lazy(() => import('./pages/inspections/CompliancePage'));
const EofficePage = lazy(() => import('./pages/eoffice/EofficePage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

/** The signed-in part of the app; its layout is fetched while the session is being restored, not after. */
function SignedIn() {
  const { status } = useAuth();
  useEffect(() => {
    if (status !== 'anonymous') void loadAppLayout();
  }, [status]);
  return (
    <RequireAuth>
      <AppLayout />
    </RequireAuth>
  );
}

export default function App() {
  return (
    <BrowserRouter>
      <ErrorBoundary>
        <Suspense fallback={<FullScreenLoader />}>
          <Routes>
            <Route path={LOGIN_PATH} element={<LoginPage />} />
            <Route path="/login" element={<LoginPage />} />
            <Route element={<SignedIn />}>
              <Route index element={<HomePage />} />
              <Route path="tai-khoan" element={<AccountPage />} />
              <Route
                path="ke-hoach"
                element={
                  <RequireMenu item="campaigns">
                    <CampaignsPage />
                  </RequireMenu>
                }
              />
              <Route
                path="ke-hoach/moi"
                element={
                  <RequireMenu item="campaigns">
                    <CampaignCreatePage />
                  </RequireMenu>
                }
              />
              <Route
                path="ke-hoach/:id"
                element={
                  <RequireMenu item="campaigns">
                    <CampaignPage />
                  </RequireMenu>
                }
              />
              <Route
                path="luot-kiem-tra/:visitId"
                element={
                  <RequireMenu item="campaigns">
                    <VisitPage />
                  </RequireMenu>
                }
              />
              <Route
                path="viec-cua-toi"
                element={
                  <RequireMenu item="myVisits">
                    <MyVisitsPage />
                  </RequireMenu>
                }
              />
              <Route
                path="hang-doi-gui"
                element={
                  <RequireMenu item="myVisits">
                    <QueuePage />
                  </RequireMenu>
                }
              />
              <Route
                path="van-ban-dien-tu"
                element={
                  <RequireMenu item="eoffice">
                    <EofficePage />
                  </RequireMenu>
                }
              />
              <Route
                path="phat-hien"
                element={
                  <RequireMenu item="findings">
                    <FindingsPage />
                  </RequireMenu>
                }
              />
              <Route
                path="phat-hien/:id"
                element={
                  <RequireMenu item="findings">
                    <FindingPage />
                  </RequireMenu>
                }
              />
              <Route
                path="tuan-thu"
                element={
                  <RequireMenu item="compliance">
                    <CompliancePage />
                  </RequireMenu>
                }
              />
              <Route
                path="san-pham"
                element={
                  <RequireMenu item="products">
                    <ProductsPage />
                  </RequireMenu>
                }
              />
              <Route
                path="chu-the"
                element={
                  <RequireMenu item="producers">
                    <ProducersPage />
                  </RequireMenu>
                }
              />
              <Route
                path="nhap-du-lieu"
                element={
                  <RequireMenu item="imports">
                    <ImportPage />
                  </RequireMenu>
                }
              />
              <Route
                path="nguoi-dung"
                element={
                  <RequireMenu item="users">
                    <UsersPage />
                  </RequireMenu>
                }
              />
              <Route
                path="co-quan"
                element={
                  <RequireMenu item="agencies">
                    <AgenciesPage />
                  </RequireMenu>
                }
              />
              <Route
                path="don-vi-hanh-chinh"
                element={
                  <RequireMenu item="adminUnits">
                    <AdminUnitsPage />
                  </RequireMenu>
                }
              />
              <Route
                path="mau-van-ban"
                element={
                  <RequireMenu item="templates">
                    <TemplatesPage />
                  </RequireMenu>
                }
              />
              <Route
                path="nhat-ky"
                element={
                  <RequireMenu item="audit">
                    <AuditPage />
                  </RequireMenu>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </Suspense>
      </ErrorBoundary>
    </BrowserRouter>
  );
}
