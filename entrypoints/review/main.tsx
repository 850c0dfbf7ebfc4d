import { mountPage } from '../../components/mount-page';
import { ReviewPage } from '../../components/ReviewPage';

mountPage(<ReviewPage />);
