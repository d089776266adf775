const NumbersPage = () => null;
export default NumbersPage;
