#include "domain/user.hpp"

#include <gtest/gtest.h>

namespace pillivery::domain {
namespace {

std::vector<std::string> Fields(const Error& error) {
  std::vector<std::string> out;
  for (const auto& e : error.Errors()) out.push_back(e.field);
  return out;
}

SignUpRequest Valid() {
  return {"Kim@Example.com", "secret1!x", "김건강", "김철수", "01012345678", "서울특별시", "강남구 테헤란로 1"};
}

TEST(UserRulesTest, ValidateSignUp_WithValidFields_NormalisesEmailAndPhone) {
  auto r = ValidateSignUp(Valid());
  EXPECT_EQ(r.email, "kim@example.com");
  EXPECT_EQ(r.phone, "010-1234-5678");
}

TEST(UserRulesTest, ValidateSignUp_WhenEveryFieldIsBroken_ReportsEachField) {
  SignUpRequest bad{"not-an-email", "short", "x", "", "02-123-4567", "", std::string(201, 'a')};
  try {
    ValidateSignUp(bad);
    FAIL() << "expected VALIDATION_FAILED";
  } catch (const Error& e) {
    EXPECT_EQ(e.Code(), "VALIDATION_FAILED");
    EXPECT_EQ(Fields(e), (std::vector<std::string>{"email", "password", "displayName", "realName", "phone", "city",
                                                   "detailAddress"}));
  }
}

TEST(UserRulesTest, PasswordProblem_NeedsLengthLetterDigitAndSymbol) {
  EXPECT_FALSE(PasswordProblem("abcdef1!"));
  EXPECT_FALSE(PasswordProblem(std::string(61, 'a') + "1!x"));
  EXPECT_TRUE(PasswordProblem("abc1!"));                      // too short
  EXPECT_TRUE(PasswordProblem(std::string(63, 'a') + "1!"));  // 65 characters
  EXPECT_TRUE(PasswordProblem("abcdefgh1"));                  // no symbol
  EXPECT_TRUE(PasswordProblem("abcdefgh!"));                  // no digit
  EXPECT_TRUE(PasswordProblem("12345678!"));                  // no letter
  EXPECT_TRUE(PasswordProblem("abcd\n1234!"));                // control character
  EXPECT_TRUE(PasswordProblem(std::string(10 * 1024, 'a')));
  EXPECT_FALSE(PasswordProblem("비밀번호abc1!"));  // unicode is allowed alongside
}

TEST(UserRulesTest, PhoneProblem_AcceptsKoreanMobileNumbersOnly) {
  for (const char* ok : {"010-1234-5678", "01012345678", "011-123-4567", "0161234567", "019-1234-5678",
                         "010-1234"
                         "5678"})
    EXPECT_FALSE(PhoneProblem(ok)) << ok;
  for (const char* bad : {"012-1234-5678", "02-123-4567", "010-12-5678", "010-12345-5678", "010--1234-5678",
                          "010-1234-567", "010 1234 5678", "+821012345678", "010-1234-5678'", ""})
    EXPECT_TRUE(PhoneProblem(bad)) << bad;
  EXPECT_EQ(NormalizePhone("0111234567"), "011-123-4567");
}

TEST(UserRulesTest, EmailProblem_RejectsMalformedHugeAndNonAscii) {
  EXPECT_FALSE(EmailProblem("o'brien+tag@mail.example.co.kr"));
  for (const std::string& bad :
       std::vector<std::string>{"", "a@b", "@b.com", "a@@b.com", "a@-b.com", "a..b@c.com", "김@example.com",
                                "a b@c.com", std::string(300, 'a') + "@b.com", "a@b.com\n"})
    EXPECT_TRUE(EmailProblem(bad)) << bad;
}

TEST(UserRulesTest, TextRules_RejectInvalidUtf8ControlsAndReservedNames) {
  EXPECT_TRUE(DisplayNameProblem("\xC3\x28"));  // invalid UTF-8
  EXPECT_TRUE(DisplayNameProblem("ab\x01"));
  EXPECT_TRUE(DisplayNameProblem(" padded"));
  EXPECT_TRUE(DisplayNameProblem("withdrawn-12"));
  EXPECT_FALSE(DisplayNameProblem("'; DROP TABLE u;--"));
  EXPECT_FALSE(DisplayNameProblem("건강지킴이🙂"));
  EXPECT_EQ(Utf8Length("건강"), 2u);
  EXPECT_FALSE(Utf8Length("\xED\xA0\x80"));  // a surrogate
}

TEST(UserRulesTest, ValidateProfilePatch_NewPasswordNeedsCurrentOneUnlessAccountHasNone) {
  ProfilePatch patch;
  patch.password = "newpass1!";
  EXPECT_THROW(ValidateProfilePatch(patch, true), Error);
  EXPECT_NO_THROW(ValidateProfilePatch(patch, false));
  patch.current_password = "whatever";
  EXPECT_NO_THROW(ValidateProfilePatch(patch, true));
}

TEST(UserRulesTest, RequireOwner_AnswersNotFoundForSomeoneElsesResource) {
  Principal me{7, {Role::kUser}, "jti", "sid", 0};
  EXPECT_NO_THROW(RequireOwner(me, 7, ErrorCode::kOrderNotFound, "No such order."));
  try {
    RequireOwner(me, 8, ErrorCode::kOrderNotFound, "No such order.");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.Kind(), ErrorKind::kNotFound);
    EXPECT_EQ(e.Code(), "ORDER_NOT_FOUND");
  }
}

TEST(UserRulesTest, Roles_RoundTripThroughTheirColumnText) {
  EXPECT_EQ(JoinRoles({Role::kUser, Role::kAdmin}), "USER,ADMIN");
  EXPECT_EQ(SplitRoles("USER,ADMIN,ROOT,USER"), (std::vector<Role>{Role::kUser, Role::kAdmin}));
}

}  // namespace
}  // namespace pillivery::domain
