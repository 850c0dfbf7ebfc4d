import { mountPage } from '../../components/pages/mount-page';
import { ReviewPage } from '../../components/review/ReviewPage';

mountPage(<ReviewPage />);
