import { GoalsPage } from '../../components/GoalsPage';
import { mountPage } from '../../components/mount-page';

mountPage(<GoalsPage />);
