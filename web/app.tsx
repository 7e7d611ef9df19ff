/**
 * The app shell: routing (router.tsx), the signed-in user for every page, and one lazily loaded
 * chunk per page, so the Log in page does not download Home or the call pages.
 */
import { callPath } from '../protocol/rooms.ts';
import { AuthProvider, SignedIn, SignedOut } from './auth.tsx';
import { Page } from './components/page.tsx';
import { UserLine } from './line/user-line.tsx';
import { LocationProvider, lazy, Route, Router } from './router.tsx';

const Home = lazy(() => import('./pages/home/index.tsx'));
const LogIn = lazy(() => import('./pages/login.tsx'));
const SignUp = lazy(() => import('./pages/signup.tsx'));
const ForgotPassword = lazy(() => import('./pages/forgot-password.tsx'));
const ResetPassword = lazy(() => import('./pages/reset-password.tsx'));
const Call = lazy(() => import('./pages/call/index.tsx'));
const Account = lazy(() => import('./pages/account/index.tsx'));

export function App() {
  return (
    <LocationProvider>
      <AuthProvider>
        <UserLine>
          <Router>
            <SignedIn path="/" component={Home} />
            <SignedIn path={callPath(':id')} component={Call} />
            <SignedIn path="/account" component={Account} />
            <SignedOut path="/login" component={LogIn} />
            <SignedOut path="/signup" component={SignUp} />
            <Route path="/forgot-password" component={ForgotPassword} />
            <Route path="/reset-password" component={ResetPassword} />
            <Route default component={NotFound} />
          </Router>
        </UserLine>
      </AuthProvider>
    </LocationProvider>
  );
}

const NotFound = () => (
  <Page title="Page not found">
    <p>
      There is nothing at this address. <a href="/">Go to Home</a>
    </p>
  </Page>
);
