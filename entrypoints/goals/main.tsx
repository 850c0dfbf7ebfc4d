import { GoalsPage } from '../../components/goals/GoalsPage';
import { mountPage } from '../../components/pages/mount-page';

mountPage(<GoalsPage />);
