//! Rate limits hold on both targets (counted in the database): the eleventh wrong password
//! for one account in a window is refused, and the page says when to try again.

use crate::flow::Session;
use crate::target::Target;

pub async fn an_account_is_locked_after_ten_wrong_passwords(target: &Target) {
    let guesser = Session::new(target);
    for _ in 0..10 {
        let back = guesser.sign_in("locked.out@example.org", "a wrong guess").await;
        let (_, page) = guesser.get(&back).await;
        assert!(page.contains("The e-mail address or password is not right."), "{:?}", target.kind);
    }
    let back = guesser.sign_in("Locked.Out@example.org", "the right one, too late").await;
    let (_, page) = guesser.get(&back).await;
    assert!(page.contains("Too many attempts. Please try again in "), "{:?}: {page}", target.kind);
}
